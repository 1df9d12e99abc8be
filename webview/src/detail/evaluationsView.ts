// What evaluators made of a call (GenAI's `gen_ai.evaluation.result`): one row per metric with its score
// and label, and the evaluator's explanation under it. Evaluations often arrive after the call: the
// detail shows them once they are stored with the span.
import type { LlmEvaluation } from '../../../src/protocol/model';
import { el } from '../shared/dom';
import { longText, section } from './common';

export function renderEvaluations(evaluations: readonly LlmEvaluation[] | undefined): HTMLElement | undefined {
  if (!evaluations || evaluations.length === 0) return undefined;
  const rows = evaluations.map((e) =>
    el('div', { className: 'evaluation', testId: 'evaluation' }, [
      el('div', { className: 'evaluation-head' }, [
        el('strong', { text: e.name }),
        e.score === undefined ? '' : el('span', { className: 'evaluation-score', testId: 'evaluation-score', text: String(e.score) }),
        e.label ? el('span', { className: 'badge', testId: 'evaluation-label', text: e.label }) : '',
      ]),
      e.explanation ? longText(e.explanation, { className: 'muted evaluation-explanation' }) : '',
    ]),
  );
  return section(`Evaluations (${evaluations.length})`, 'detail-evaluations', rows);
}
