import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DumpKind, TraceRequestDto, TraceResponseDto } from '@svcpath/core';
import { apiFetch } from './client.js';
import { keys, queries, type GraphView, type PodFilter, type ServiceFilter } from './queries.js';
import { uploadDump, type UploadProgress } from './upload.js';

// Components use these hooks and never fetch themselves. keepPreviousData keeps what is on
// screen (and the user's selection within it) while a refetch after a live change runs.

export const useStatus = () => useQuery(queries.status());
export const useNodes = () => useQuery(queries.nodes());
export const useNode = (name: string) => useQuery(queries.node(name));
export const useServices = (f: ServiceFilter) =>
  useQuery({ ...queries.services(f), placeholderData: keepPreviousData });
export const useService = (ns: string, name: string, enabled = true) =>
  useQuery({ ...queries.service(ns, name), enabled: enabled && ns !== '' && name !== '' });
export const useServiceGraph = (
  ns: string,
  name: string,
  node: string | undefined,
  view: GraphView,
  enabled = true,
) =>
  useQuery({
    ...queries.serviceGraph(ns, name, node ?? '', view),
    enabled: enabled && node !== undefined && node !== '',
    placeholderData: keepPreviousData,
    // The server computes a large cluster's drift in the background: ask until it is there.
    refetchInterval: (q) => (q.state.data?.driftPending ? 2000 : false),
  });
export const useDumpParsed = (node: string, kind: DumpKind | undefined) =>
  useQuery({ ...queries.dumpParsed(node, kind ?? 'iptables'), enabled: kind !== undefined });
export const useDiagnostics = () => useQuery(queries.diagnostics());
/** No change event names pods, so a pod search is refetched when asked again after a few seconds. */
export const usePods = (f: PodFilter, enabled = true) =>
  useQuery({ ...queries.pods(f), enabled, placeholderData: keepPreviousData, staleTime: 10_000 });

export const useTrace = (request: TraceRequestDto | null) =>
  useQuery({
    queryKey: ['trace', request],
    queryFn: ({ signal }) =>
      apiFetch<TraceResponseDto>('/api/trace', { method: 'POST', body: request, signal }),
    enabled: request !== null,
    // A trace is a question asked once; live changes should not silently rewrite the answer.
    staleTime: Infinity,
  });

export function useUploadDump(node: string, onProgress: (p: UploadProgress) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, body }: { kind: DumpKind; body: string | Blob }) =>
      uploadDump(node, kind, body, onProgress),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.dumps(node) });
      void client.invalidateQueries({ queryKey: keys.nodes });
      void client.invalidateQueries({ queryKey: ['services', 'graph'] });
      void client.invalidateQueries({ queryKey: keys.diagnostics });
    },
  });
}
