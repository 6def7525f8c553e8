/**
 * @module
 * Graph surgery for merging pretrained models into one graph: copy a graph's nodes and initializers with every
 * tensor name prefixed (so two graphs cannot clash) except the names the caller wires up explicitly.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;

export interface PrefixedGraph {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  /** Maps an original tensor name to its name in the merged graph. */
  name: (original: string) => string;
}

function hasSubgraph(n: onnx.INodeProto): boolean {
  return (n.attribute ?? []).some((a) => a.g || (a.graphs && a.graphs.length > 0));
}

/**
 * Copies `graph` with `prefix` before every node and tensor name; `rename` maps chosen tensor names (typically the
 * graph's inputs) to names of the host graph instead. Empty names (omitted optional inputs) stay empty.
 */
export function prefixGraph(
  graph: onnx.IGraphProto,
  prefix: string,
  rename: Record<string, string> = {},
): PrefixedGraph {
  const name = (original: string) => (original === '' ? '' : (rename[original] ?? `${prefix}${original}`));
  const nodes = (graph.node ?? []).map((n) => {
    if (hasSubgraph(n)) {
      throw new Error(
        `prefixGraph: node "${n.name}" (${n.opType}) has a subgraph attribute, which is not supported`,
      );
    }
    return {
      ...n,
      name: `${prefix}${n.name ?? n.opType ?? ''}`,
      input: (n.input ?? []).map(name),
      output: (n.output ?? []).map(name),
    };
  });
  const initializers = (graph.initializer ?? []).map((t) => ({ ...t, name: name(t.name ?? '') }));
  return { nodes, initializers, name };
}

/** The single node of an op type; zero or several is an error that says how many there are. */
export function onlyNode(graph: onnx.IGraphProto, opType: string): onnx.INodeProto {
  const found = (graph.node ?? []).filter((n) => n.opType === opType);
  if (found.length !== 1 || !found[0]) {
    throw new Error(`expected exactly one ${opType} node in graph "${graph.name}", found ${found.length}`);
  }
  return found[0];
}

/** An attribute's integer list (INTS) or single integer (INT) as plain numbers; missing gives `fallback`. */
export function intsAttr(n: onnx.INodeProto, attrName: string, fallback: number[]): number[] {
  const a = (n.attribute ?? []).find((x) => x.name === attrName);
  if (!a) return fallback;
  if (a.ints && a.ints.length > 0) return a.ints.map(Number);
  return a.i === undefined || a.i === null ? fallback : [Number(a.i)];
}
