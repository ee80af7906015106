import { useStatus, useNodes } from '../../api/hooks.js';
import { ErrorState, Loading } from '../../components/States.js';
import { ExportButtons } from '../../components/ExportButtons.js';
import { SourceCard } from './SourceCard.js';
import { NodesTable } from './NodesTable.js';
import { ServicesPanel } from './ServicesPanel.js';

export function OverviewView() {
  const status = useStatus();
  const nodes = useNodes();
  return (
    <>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h1>Overview</h1>
        <ExportButtons data={{ status: status.data, nodes: nodes.data }} name="svcpath-overview" />
      </div>
      {status.isPending ? (
        <Loading what="the cluster source" />
      ) : status.isError ? (
        <ErrorState error={status.error} what="the server status" retry={() => void status.refetch()} />
      ) : (
        <SourceCard status={status.data} />
      )}
      <h2>Nodes</h2>
      {nodes.isPending ? (
        <Loading what="nodes" />
      ) : nodes.isError ? (
        <ErrorState error={nodes.error} what="nodes" retry={() => void nodes.refetch()} />
      ) : (
        <NodesTable nodes={nodes.data} />
      )}
      <ServicesPanel />
    </>
  );
}
