// Follows local $refs ('#/components/...') in the unresolved document, so that a rule can tell what a
// shared response or request body contains while still reporting against the operation that uses it.
export function deref(document, node) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) {
      return undefined;
    }
    seen.add(ref);
    node = ref
      .slice(2)
      .split('/')
      .map(part => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((value, key) => (value == null ? undefined : value[key]), document);
  }
  return node;
}
