// Proof 3: a pod's UDP query to kube-dns goes KUBE-SERVICES → KUBE-SVC-TCOU7JCQXEZGVUNU →
// a KUBE-SEP chain and reaches either CoreDNS endpoint half of the time.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { KUBE_DNS_IP, POD_IP, TRACE_URL, saveScreenshot } from './helpers.js';

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

  // Source: a pod found by its name and its node, and picked from the suggestions.
  await page.getByRole('combobox', { name: 'Source pod' }).fill('nginx node-a');
  await page
    .getByRole('option', {
      name: new RegExp(`^default/nginx-deployment-\\S+ ${POD_IP.replace(/\./g, '\\.')} · on node-a$`),
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

/** Both CoreDNS endpoints, each reached by half of the new connections. */
async function expectBothKubeDnsEndpoints(page: Page) {
  await expect(page.getByRole('heading', { name: '2 outcomes' })).toBeVisible();
  const outcomes = page.getByRole('listitem').filter({ hasText: /→ endpoint/ });
  await expect(outcomes).toHaveCount(2);
  for (const ep of ['10.32.0.3:53', '10.32.0.4:53'])
    await expect(outcomes.filter({ hasText: `→ endpoint ${ep}` })).toContainText(/^50 %\s*✓\s*ACCEPT/);
}

test('any pod can be the source: found by part of its name, traced on its own node', async ({
  page,
}, testInfo) => {
  await page.goto('/trace');
  await expect(page.getByLabel('Node', { exact: true })).toHaveValue('node-a');

  // kubia-q9d4k runs on node-b (nftables), not on the node the form starts with.
  const podBox = page.getByRole('combobox', { name: 'Source pod' });
  await podBox.fill('kubia-q9');
  await expect(podBox).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('listbox', { name: 'Pods' }).getByRole('option')).toHaveCount(1);
  await expect(page.getByText('1 pod matches.')).toBeVisible();
  await saveScreenshot(page, testInfo, 'trace-source-pod-suggestions');
  await page.getByRole('option', { name: 'default/kubia-q9d4k 10.36.0.30 · on node-b' }).click();
  await expect(podBox).toHaveValue('default/kubia-q9d4k');
  await expect(podBox).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByLabel('Source IP')).toHaveValue('10.36.0.30');

  // Its packets enter kube-proxy's rules on node-b: the form offers that node.
  const from = page.getByRole('group', { name: 'Where the packet comes from' });
  await expect(from).toContainText('From pod default/kubia-q9d4k (10.36.0.30), on node-b');
  await saveScreenshot(page, testInfo, 'trace-source-pod-node-offer');
  await from.getByRole('button', { name: 'Trace on node-b, the pod’s node' }).click();
  await expect(page.getByLabel('Node', { exact: true })).toHaveValue('node-b');
  await expect(from).toContainText('traced on its node');
  await expect(from.getByRole('button')).toHaveCount(0);

  await page.getByLabel('Destination Service (optional)').fill('kube-system/kube-dns');
  await page.getByRole('button', { name: `cluster IP ${KUBE_DNS_IP}:53/udp (dns)` }).click();
  await page.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(page).toHaveURL(
    new RegExp(
      `/trace\\?node=node-b&src=10\\.36\\.0\\.30&dst=${KUBE_DNS_IP.replace(/\./g, '\\.')}&dport=53&proto=udp$`,
    ),
  );
  await expectBothKubeDnsEndpoints(page);
  await expect(page.getByText(`UDP 10.36.0.30 → ${KUBE_DNS_IP}:53`)).toBeVisible();

  // The shared URL names the pod again: the form finds it by its address.
  await page.reload();
  await expect(podBox).toHaveValue('default/kubia-q9d4k');
  await expect(from).toContainText('traced on its node');
  await expectBothKubeDnsEndpoints(page);
  await saveScreenshot(page, testInfo, 'trace-source-pod');
});

test('the source pod combobox works from the keyboard and passes axe while open', async ({ page }) => {
  await page.goto(TRACE_URL);
  const podBox = page.getByRole('combobox', { name: 'Source pod' });
  // The URL's source address is the nginx pod on node-a.
  await expect(podBox).toHaveValue(/^default\/nginx-deployment-\S+$/);

  await podBox.fill('coredns');
  await expect(page.getByRole('listbox', { name: 'Pods' }).getByRole('option')).toHaveCount(2);
  await podBox.press('ArrowDown');
  await podBox.press('ArrowDown');
  const second = page.getByRole('option', { name: /^kube-system\/coredns-5d78c9869d-zl6vh / });
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(podBox).toHaveAttribute('aria-activedescendant', (await second.getAttribute('id')) ?? '');

  const results = await new AxeBuilder({ page }).include('.pod-picker').analyze();
  expect(
    results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
  ).toEqual([]);

  // Enter picks, and does not submit the form.
  await podBox.press('Enter');
  await expect(podBox).toHaveValue('kube-system/coredns-5d78c9869d-zl6vh');
  await expect(page.getByLabel('Source IP')).toHaveValue('10.32.0.4');
  await expect(page).toHaveURL(new RegExp(`src=${POD_IP.replace(/\./g, '\\.')}`));

  // Escape closes the suggestions; leaving the field keeps the picked pod.
  await podBox.fill('no-such-pod');
  await expect(page.getByText('No pod matches “no-such-pod”.')).toBeVisible();
  await podBox.press('Escape');
  await podBox.press('Escape');
  await expect(podBox).toHaveValue('kube-system/coredns-5d78c9869d-zl6vh');

  // Typing another source address by hand ends the pod as the source.
  await page.getByLabel('Source IP').fill('203.0.113.50');
  await expect(podBox).toHaveValue('');
  await expect(page.getByRole('group', { name: 'Where the packet comes from' })).toHaveCount(0);
});
