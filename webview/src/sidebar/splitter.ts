// A horizontal divider between the trace list and the span tree: drag or arrow keys resize; the ratio is
// applied as a CSS variable through the CSSOM (CSP allows that, unlike style attributes).

const MIN_RATIO = 0.15;
const MAX_RATIO = 0.85;
const KEY_STEP = 0.05;

export class Splitter {
  readonly element: HTMLElement;
  private ratio: number;

  constructor(
    private readonly container: HTMLElement,
    initialRatio: number,
    private readonly onChange: (ratio: number) => void,
  ) {
    this.ratio = clamp(initialRatio);
    const bar = document.createElement('div');
    bar.className = 'splitter';
    bar.dataset.testid = 'splitter';
    bar.tabIndex = 0;
    bar.setAttribute('role', 'separator');
    bar.setAttribute('aria-orientation', 'horizontal');
    bar.setAttribute('aria-label', 'Resize trace list and span tree');
    bar.setAttribute('aria-valuemin', String(MIN_RATIO * 100));
    bar.setAttribute('aria-valuemax', String(MAX_RATIO * 100));
    bar.addEventListener('pointerdown', (e) => this.drag(e));
    bar.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowUp') this.set(this.ratio - KEY_STEP);
      else if (e.key === 'ArrowDown') this.set(this.ratio + KEY_STEP);
      else return;
      e.preventDefault();
      this.onChange(this.ratio);
    });
    this.element = bar;
    this.apply();
  }

  private drag(start: PointerEvent): void {
    const bar = this.element;
    bar.setPointerCapture(start.pointerId);
    const rect = this.container.getBoundingClientRect();
    const move = (e: PointerEvent): void => this.set((e.clientY - rect.top) / Math.max(rect.height, 1));
    const up = (): void => {
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      this.onChange(this.ratio);
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
  }

  private set(ratio: number): void {
    this.ratio = clamp(ratio);
    this.apply();
  }

  private apply(): void {
    this.container.style.setProperty('--split', String(this.ratio));
    this.element.setAttribute('aria-valuenow', String(Math.round(this.ratio * 100)));
  }
}

function clamp(ratio: number): number {
  return Number.isFinite(ratio) ? Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio)) : 0.5;
}
