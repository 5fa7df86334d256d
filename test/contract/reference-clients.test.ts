import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, v2 } from '@datadog/datadog-api-client';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATADOG_SITES, type ProviderConfig } from '../../src/config/schema.js';
import type { GateObservation } from '../../src/engine/gates.js';
import { datadogBaseUrl, TIMESERIES_PATH } from '../../src/providers/datadog.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { gate, NOW, NOW_S } from '../support/fixtures.js';
import { scenarioTable, startCloudWatchStandin, startDatadogStandin, startStsStandin, type Standin } from '../servers/metric-standins.js';

/**
 * Our requests against the official clients' requests for the same question, sent to the same
 * stand-in; and the official clients reading the stand-ins' answers (so the stand-ins are true).
 */

const table = scenarioTable(NOW_S);

async function observe(type: string, config: Record<string, unknown>, query: string, over: { overMs: number; stepMs: number } | null, env?: Record<string, string>) {
  const logs: string[] = [];
  const redactor = new Redactor();
  const { observations } = await collectObservations({
    gates: [gate({ name: 'g', provider: 'p', providerType: type as never, query, ...(over ? { overMs: over.overMs, stepMs: over.stepMs } : {}) })],
    providers: { p: config as ProviderConfig },
    factories: defaultFactories,
    nowMs: NOW,
    target: null,
    cwd: process.cwd(),
    logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warning: (m) => logs.push(m) },
    redactor,
    ...(env ? { env } : {}),
  });
  return { obs: observations.get('g')! as GateObservation, logs };
}

describe('datadog: our request is the official client\'s request', () => {
  let standin: Standin;
  const apiKey = 'dd-api-key-reference-1';
  const appKey = 'dd-app-key-reference-1';
  const query = 'avg:rg.cpu{*} by {instance}';
  beforeAll(async () => {
    standin = await startDatadogStandin({ table, apiKey, appKey, queries: { [query]: 'cpu' } });
  });
  afterAll(() => standin.stop());

  it('the same path, keys and JSON body for a windowed query; both read the same series from the answer', async () => {
    const from = NOW - 30 * 60_000;
    const configuration = client.createConfiguration({
      authMethods: { apiKeyAuth: apiKey, appKeyAuth: appKey },
      baseServer: new client.BaseServerConfiguration(standin.url, {}),
      enableRetry: false,
    });
    const official = await new v2.MetricsApi(configuration).queryTimeseriesData({
      body: {
        data: {
          type: 'timeseries_request',
          attributes: { from, to: NOW, interval: 30_000, queries: [{ dataSource: 'metrics', query, name: 'a' }], formulas: [{ formula: 'a' }] },
        },
      },
    });
    const theirs = standin.requests.at(-1)!;
    const { obs } = await observe('datadog', { type: 'datadog', url: standin.url, apiKey, appKey }, query, { overMs: 30 * 60_000, stepMs: 30_000 });
    const ours = standin.requests.at(-1)!;
    expect(ours.path).toBe(theirs.path);
    expect(ours.path).toBe(`/${TIMESERIES_PATH}`);
    expect(ours.body).toEqual(theirs.body);
    for (const h of ['dd-api-key', 'dd-application-key']) expect(ours.headers[h]).toBe(theirs.headers[h]);
    expect(ours.headers['content-type']).toMatch(/^application\/json/);
    expect(theirs.headers['content-type']).toMatch(/^application\/json/);

    // The client parses the stand-in's answer into its model: three series tagged by instance.
    const attrs = official.data!.attributes!;
    expect(attrs.series!.map((s) => s.groupTags)).toEqual([['instance:a'], ['instance:b'], ['instance:c']]);
    expect(attrs.times!.length).toBe(61);
    // Ours: three series, so no data without reduce (the message lists them by tag).
    expect(obs.error).toMatch(/3 series.*instance="a"/);
    const maxOfClient = Math.max(...attrs.values!.map((row) => row.at(-1) as number));
    expect(maxOfClient).toBe(0.9);
  });

  it.each(DATADOG_SITES)('site %s: our timeseries URL is the official client\'s for that site', (site) => {
    // server1 is the client's https://{subdomain}.{site} with subdomain "api".
    const server = client.server1.getConfiguration();
    try {
      client.server1.setVariables({ site });
      const theirs = client.server1.makeRequestContext(`/${TIMESERIES_PATH}`, client.HttpMethod.POST).getUrl();
      expect(new URL(TIMESERIES_PATH, `${datadogBaseUrl({ site })}/`).toString()).toBe(theirs);
    } finally {
      client.server1.setVariables(server);
    }
  });
});

describe('cloudwatch: the official client reads the stand-in, our provider reads it the same', () => {
  let standin: Standin;
  const creds = { AWS_ACCESS_KEY_ID: 'AKIAREFERENCE000001', AWS_SECRET_ACCESS_KEY: 'cw-secret-reference-1' };
  const expression = 'SELECT AVG(Gap) FROM "Chat"';
  beforeAll(async () => {
    standin = await startCloudWatchStandin({ table, accessKeyId: creds.AWS_ACCESS_KEY_ID, queries: { [expression]: 'gap' }, pageSize: 25 });
  });
  afterAll(() => standin.stop());

  it('every page (NextToken) is read: the same datapoints as the SDK paging by hand, at the period\'s end', async () => {
    const sdk = new CloudWatchClient({ region: 'eu-central-1', endpoint: standin.url, credentials: { accessKeyId: creds.AWS_ACCESS_KEY_ID, secretAccessKey: creds.AWS_SECRET_ACCESS_KEY }, maxAttempts: 1 });
    const timestamps: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await sdk.send(
        new GetMetricDataCommand({
          MetricDataQueries: [{ Id: 'q', Expression: expression, Period: 60, ReturnData: true }],
          StartTime: new Date(NOW - 61 * 60_000),
          EndTime: new Date(NOW),
          ScanBy: 'TimestampAscending',
          NextToken: token,
        }),
      );
      for (const r of out.MetricDataResults ?? []) timestamps.push(...(r.Timestamps ?? []).map((d) => d.getTime() / 1000));
      token = out.NextToken;
      pages++;
    } while (token);
    sdk.destroy();
    expect(pages).toBeGreaterThan(1);
    const sdkRequests = standin.requests.length;

    const { obs } = await observe('cloudwatch', { type: 'cloudwatch', region: 'eu-central-1', endpoint: standin.url }, expression, { overMs: 60 * 60_000, stepMs: 60_000 }, creds);
    expect(obs.error ?? null).toBeNull();
    expect(standin.requests.length - sdkRequests).toBe(pages);
    // Same datapoints, each moved to the end of its minute.
    expect(obs.samples.map((s) => s[0])).toEqual(timestamps.map((t) => t + 60));
    // 10 of the 61 minutes have no data: CloudWatch leaves them out.
    expect(obs.samples.length).toBe(51);
    const ours = standin.requests.at(-1)!;
    expect(ours.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.GetMetricData');
    expect(ours.headers['content-type']).toBe('application/x-amz-json-1.0');
  });

  it('a MetricStat mapping becomes the MetricStat the API expects (namespace, name, dimensions, stat, period)', async () => {
    const metricStat = JSON.stringify({ namespace: 'AWS/ApplicationELB', metric: 'TargetResponseTime', dimensions: { LoadBalancer: 'app/chat/123' }, stat: 'p99', period: 300 });
    await observe('cloudwatch', { type: 'cloudwatch', region: 'eu-central-1', endpoint: standin.url }, metricStat, null, creds);
    const body = standin.requests.at(-1)!.body as { MetricDataQueries: unknown[]; StartTime: number; EndTime: number };
    expect(body.MetricDataQueries).toEqual([
      {
        Id: 'q',
        ReturnData: true,
        MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: [{ Name: 'LoadBalancer', Value: 'app/chat/123' }] }, Period: 300, Stat: 'p99' },
      },
    ]);
    expect(body.EndTime).toBe(NOW_S);
    expect(body.EndTime - body.StartTime).toBe(900);
  });
});

describe('cloudwatch: credentials from a web identity (the OIDC role of aws-actions/configure-aws-credentials)', () => {
  let sts: Standin;
  let cw: Standin;
  let dir: string;
  const assumed = { accessKeyId: 'ASIAWEBIDENTITY00001', secretAccessKey: 'assumed-secret-7Jt3', sessionToken: 'assumed-session-token-2Qw8' };
  const oidcToken = 'eyJhbGciOiJSUzI1NiJ9.oidc-token-for-tests.sig';
  beforeAll(async () => {
    sts = await startStsStandin({ token: oidcToken, credentials: assumed });
    cw = await startCloudWatchStandin({ table, accessKeyId: assumed.accessKeyId, queries: { 'SELECT AVG(ErrorRatio) FROM "Chat"': 'error_ratio' } });
    dir = mkdtempSync(join(tmpdir(), 'rollout-gate-oidc-'));
    writeFileSync(join(dir, 'token'), `${oidcToken}\n`);
  });
  afterEach(() => {
    sts.requests.length = 0;
  });
  afterAll(async () => {
    await sts.stop();
    await cw.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: the role is assumed at STS, its credentials sign the query, none of them leak', async () => {
    const env = { AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'), AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gate', AWS_ENDPOINT_URL_STS: sts.url };
    const { obs, logs } = await observe('cloudwatch', { type: 'cloudwatch', region: 'eu-central-1', endpoint: cw.url }, 'SELECT AVG(ErrorRatio) FROM "Chat"', null, env);
    expect(obs.error ?? null, logs.join('\n')).toBeNull();
    expect(obs.samples.map((s) => s[1])).toEqual([0.005]);
    expect(sts.requests).toHaveLength(1);
    const form = new URLSearchParams(String(sts.requests[0]!.body));
    expect(form.get('Action')).toBe('AssumeRoleWithWebIdentity');
    expect(form.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/gate');
    expect(form.get('WebIdentityToken')).toBe(oidcToken);
    const signed = cw.requests.at(-1)!.headers;
    expect(String(signed.authorization)).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${assumed.accessKeyId}/\\d{8}/eu-central-1/monitoring/aws4_request`));
    expect(signed['x-amz-security-token']).toBe(assumed.sessionToken);
    expect(JSON.stringify(obs) + logs.join('\n')).not.toMatch(/assumed-secret|assumed-session-token|oidc-token-for-tests/);
  });

  it('[secret] a refused token is no data naming STS\'s answer, without the token', async () => {
    writeFileSync(join(dir, 'bad'), 'not-the-token-5Hx1');
    const env = { AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'bad'), AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gate', AWS_ENDPOINT_URL_STS: sts.url };
    const { obs, logs } = await observe('cloudwatch', { type: 'cloudwatch', region: 'eu-central-1', endpoint: cw.url, retries: 0 }, 'SELECT AVG(ErrorRatio) FROM "Chat"', null, env);
    expect(obs.samples).toEqual([]);
    expect(obs.error).toMatch(/InvalidIdentityToken|bad token/);
    expect(JSON.stringify(obs) + logs.join('\n')).not.toContain('not-the-token-5Hx1');
  });
});
