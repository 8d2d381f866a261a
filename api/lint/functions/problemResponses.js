import { deref } from './refs.js';

const PROBLEM_JSON = 'application/problem+json';

// options.schema: the $ref of the Problem schema. A schema is a Problem when it is that $ref, or an allOf
// that includes it (a problem type with extra members).
function isProblem(schema, problemRef) {
  if (!schema || typeof schema !== 'object') {
    return false;
  }
  if (schema.$ref === problemRef) {
    return true;
  }
  return Array.isArray(schema.allOf) && schema.allOf.some(part => part && part.$ref === problemRef);
}

export default function problemResponses(operation, options, context) {
  const document = context.document.data;
  const problemRef = (options && options.schema) || '#/components/schemas/Problem';
  const results = [];
  const responses = (operation && operation.responses) || {};
  if (!Object.prototype.hasOwnProperty.call(responses, 'default')) {
    results.push({ message: 'The operation has no default response (an error as problem details).', path: [...context.path, 'responses'] });
  }
  for (const [status, value] of Object.entries(responses)) {
    if (!/^4(\d\d|XX)$/.test(status) && status !== 'default') {
      continue;
    }
    const path = [...context.path, 'responses', status];
    const response = deref(document, value);
    const content = response && response.content;
    const types = content ? Object.keys(content) : [];
    if (!types.includes(PROBLEM_JSON)) {
      results.push({ message: `Response ${status} must have ${PROBLEM_JSON} content.`, path });
      continue;
    }
    const others = types.filter(type => type !== PROBLEM_JSON);
    if (others.length > 0) {
      results.push({ message: `Response ${status} must be ${PROBLEM_JSON} only, not also ${others.join(', ')}.`, path });
    }
    if (!isProblem(content[PROBLEM_JSON].schema, problemRef)) {
      results.push({ message: `Response ${status} must use the Problem schema (${problemRef}).`, path });
    }
  }
  return results;
}
