import { deref } from './refs.js';

function hasExample(mediaType) {
  if (!mediaType || typeof mediaType !== 'object') {
    return false;
  }
  if (mediaType.example !== undefined) {
    return true;
  }
  return mediaType.examples != null && typeof mediaType.examples === 'object' && Object.keys(mediaType.examples).length > 0;
}

function check(content, what, path, results) {
  for (const [type, mediaType] of Object.entries(content || {})) {
    if (!hasExample(mediaType)) {
      results.push({ message: `${what} (${type}) has no example.`, path: [...path, 'content', type] });
    }
  }
}

export default function operationExamples(operation, options, context) {
  const document = context.document.data;
  const results = [];
  for (const [status, value] of Object.entries((operation && operation.responses) || {})) {
    if (/^2(\d\d|XX)$/.test(status)) {
      const response = deref(document, value);
      check(response && response.content, `Success response ${status}`, [...context.path, 'responses', status], results);
    }
  }
  if (operation && operation.requestBody) {
    const body = deref(document, operation.requestBody);
    check(body && body.content, 'The request body', [...context.path, 'requestBody'], results);
  }
  return results;
}
