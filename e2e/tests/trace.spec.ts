// Proof 3: a pod's UDP query to kube-dns goes KUBE-SERVICES → KUBE-SVC-TCOU7JCQXEZGVUNU →
// a KUBE-SEP chain and reaches either CoreDNS endpoint half of the time.
import { expect, test, type Page } from '@playwright/test';
import { KUBE_DNS_IP, POD_IP, TRACE_URL } from './helpers.js';

async function expectKubeDnsTrace(page: Page) {
  await expect(page.getByRole('heading', { name: '2 outcomes' })).toBeVisible();
  const outcomes = page.getByRole('listitem').filter({ hasText: /→ endpoint/ });
  await expect(outcomes).toHaveCount(2);
  for (const ep of ['10.32.0.3:53', '10.32.0.4:53'])
    await expect(outcomes.filter({ hasText: `→ endpoint ${ep}` })).toContainText(/^50 %\s*✓\s*ACCEPT/);

  // The walk of the first outcome, rule by rule.
  await expect(page.getByRole('heading', { name: /^Walk for outcome 1 \(50 %, ACCEPT\)$/ })).toBeVisible();
  const walk = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Rule text' }) });
  await expect(walk.getByRole('cell', { name: 'KUBE-SERVICES', exact: true }).first()).toBeVisible();
  await expect(walk.getByRole('cell', { name: 'KUBE-SVC-TCOU7JCQXEZGVUNU', exact: true })).toBeVisible();
  await expect(walk.getByRole('cell', { name: /^KUBE-SEP-[A-Z0-9]{16}$/ })).toHaveCount(1);
  await expect(walk.getByRole('cell', { name: /^jump KUBE-SEP-[A-Z0-9]{16} \(random 0\.5/ })).toBeVisible();
  await expect(walk.getByRole('cell', { name: /^DNAT to 10\.32\.0\.(3|4):53$/ })).toBeVisible();
}

test('a trace from a pod to kube-dns 53/UDP, opened from its URL', async ({ page }) => {
  await page.goto(TRACE_URL);
  await expect(page.getByText(`UDP ${POD_IP} → ${KUBE_DNS_IP}:53`)).toBeVisible();
  await expectKubeDnsTrace(page);
  const firstDnat = await page.getByRole('cell', { name: /^DNAT to / }).textContent();

  // The other branch: its walk ends at the other endpoint, and the choice is in the URL.
  await page.getByRole('button', { name: 'Show walk' }).click();
  await expect(page).toHaveURL(/[?&]outcome=1(&|$)/);
  await expect(page.getByRole('heading', { name: /^Walk for outcome 2 \(50 %, ACCEPT\)$/ })).toBeVisible();
  const secondDnat = await page.getByRole('cell', { name: /^DNAT to / }).textContent();
  expect([firstDnat, secondDnat].sort()).toEqual(['DNAT to 10.32.0.3:53', 'DNAT to 10.32.0.4:53']);

  // The traced path is drawn on kube-dns's graph.
  await expect(
    page.getByRole('group', { name: /^Traced path on kube-system\/kube-dns:dns, node-a$/ }),
  ).toBeVisible();
});

test('a trace from a pod to kube-dns 53/UDP, filled in through the form', async ({ page }) => {
  await page.goto('/trace');
  await expect(page.getByRole('heading', { name: 'Nothing traced yet' })).toBeVisible();
  await page.getByLabel('Node', { exact: true }).selectOption('node-a');

  // Source: a pod picked from the Service that selects it.
  await page.getByLabel(/or a pod behind a Service/).fill('default/my-service');
  await page
    .getByRole('button', {
      name: new RegExp(`^nginx-deployment-\\S+ \\(${POD_IP.replace(/\./g, '\\.')} on node-a\\)$`),
    })
    .click();
  await expect(page.getByLabel('Source IP')).toHaveValue(POD_IP);

  // Destination: kube-dns's DNS port, picked from the Service.
  await page.getByLabel('Destination Service (optional)').fill('kube-system/kube-dns');
  await page.getByRole('button', { name: `cluster IP ${KUBE_DNS_IP}:53/udp (dns)` }).click();
  await expect(page.getByLabel('Destination IP')).toHaveValue(KUBE_DNS_IP);
  await expect(page.getByLabel('Port', { exact: true })).toHaveValue('53');
  await expect(page.getByLabel('Protocol')).toHaveValue('udp');

  await page.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(page).toHaveURL(
    new RegExp(
      `/trace\\?node=node-a&src=${POD_IP}&dst=${KUBE_DNS_IP}&dport=53&proto=udp$`.replace(/\./g, '\\.'),
    ),
  );
  await expectKubeDnsTrace(page);
});
