// Status lines over many nodes: one entry per distinct message with the nodes it applies to, so
// that a tool missing from every kube-proxy image reads once, not once per node.
export interface NodeMessage {
  node: string;
  message: string;
}

/** `message (node-a, node-b, +3 more)` per distinct message, most widespread first, joined by `; `. */
export function summarizeByNode(entries: readonly NodeMessage[], maxNodes = 3): string {
  const byMessage = new Map<string, string[]>();
  for (const { node, message } of entries) {
    const nodes = byMessage.get(message) ?? [];
    nodes.push(node);
    byMessage.set(message, nodes);
  }
  return [...byMessage.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([message, nodes]) => {
      const shown = nodes.slice(0, maxNodes).join(', ');
      const more = nodes.length > maxNodes ? `, +${nodes.length - maxNodes} more` : '';
      return `${message} (${shown}${more})`;
    })
    .join('; ');
}
