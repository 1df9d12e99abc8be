// Retrieved documents rendered as the output text of a retrieval span (OTel `gen_ai.retrieval.documents`,
// OpenInference retrievers and rerankers, LangChain retrievers): one block per document with its id and score.

export interface RetrievedDocument {
  id?: string;
  score?: number;
  content: string;
}

export function documentsText(documents: readonly RetrievedDocument[]): string | undefined {
  if (documents.length === 0) return undefined;
  return documents
    .map((d, i) => {
      const header = `[${i + 1}]${d.id ? ` ${d.id}` : ''}${d.score !== undefined ? ` (score ${d.score})` : ''}`;
      return d.content === '' ? header : `${header}\n${d.content}`;
    })
    .join('\n\n');
}
