// Retrieved documents rendered as the output text of a retrieval span (OTel `gen_ai.retrieval.documents`,
// OpenInference retrievers and rerankers, LangChain retrievers): one block per document with its id and score.
import { asNumber, asString, textOf, type JsonObject } from './attributeReaders';

export interface RetrievedDocument {
  id?: string;
  score?: number;
  content: string;
}

/** A document given as an object `{id, score, content | text, …}` (GenAI's schema, Haystack's Document.to_dict(), memory records). */
export function documentOf(d: JsonObject): RetrievedDocument {
  return { id: asString(d.id), score: asNumber(d.score), content: textOf(d.content ?? d.text) };
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
