export const id = 487;
export const ids = [487];
export const modules = {

/***/ 9487:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultRolloutName: () => (/* binding */ defaultRolloutName),
  initCommand: () => (/* binding */ initCommand),
  parseProvider: () => (/* binding */ parseProvider),
  parseStages: () => (/* binding */ parseStages),
  runInit: () => (/* binding */ runInit),
  terminalAsk: () => (/* binding */ terminalAsk)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/run.js
var run = __webpack_require__(3926);
// EXTERNAL MODULE: ./lib/report/snapshot.js
var snapshot = __webpack_require__(1948);
;// CONCATENATED MODULE: ./lib/cli/init-templates.js

/**
 * What `rollout-gate init` writes: a commented config for one metrics store, whose gates cover
 * the usual service-level objectives (errors, latency p95/p99, a traffic floor, saturation), and
 * the workflows that run it. Pure: text in, text out.
 */
const INIT_PROVIDERS = ['prometheus', 'datadog', 'cloudwatch', 'newrelic', 'postgres', 'http', 'file'];
const CONFIG_PATH = '.github/rollout-gate.yml';
const ACTION = 'rollout-gate/rollout-gate@v1';
/** Stage names from traffic: `canary_5`, `canary_25`, … and `full` for 100%. */
function stageNames(traffic) {
    return traffic.map((t) => (t === 100 ? 'full' : `canary_${t}`));
}
function store(p, service) {
    switch (p) {
        case 'prometheus':
            return {
                variables: [{ name: 'PROMETHEUS_URL', kind: 'variable', what: 'the Prometheus (or Thanos, Mimir, VictoriaMetrics) base URL' }],
                provider: `  prom:
    type: prometheus
    url: \${PROMETHEUS_URL}               # e.g. https://prometheus.internal:9090
    # headers: { Authorization: "Bearer \${PROMETHEUS_TOKEN}" }   # if the server wants a token
    timeout: 10s`,
                gates: `  # Errors: the canary's share of 5xx answers. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: prom
    query: sum(rate(http_requests_total{service="${service}",track="canary",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="${service}",track="canary"}[5m]))
    pass: "< 0.01"
    over: 30m
    failAfter: 5m
    severity: critical
  # Latency: p95 and p99 of the canary's request duration, in seconds.
  - name: latency_p95
    provider: prom
    query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="${service}",track="canary"}[5m])))
    pass: "< 0.5"
    over: 30m
    failAfter: 5m
  - name: latency_p99
    provider: prom
    query: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="${service}",track="canary"}[5m])))
    pass: "< 1.5"
    over: 30m
    failAfter: 5m
  # Traffic floor: a canary that gets no requests proves nothing; hold until it does.
  - name: canary_traffic
    provider: prom
    query: sum(rate(http_requests_total{service="${service}",track="canary"}[5m]))
    pass: ">= 1"
    noData: hold
  # Saturation: the busiest canary container's memory against its limit.
  - name: memory_saturation
    provider: prom
    query: max(container_memory_working_set_bytes{pod=~"${service}-canary-.*"} / container_spec_memory_limit_bytes{pod=~"${service}-canary-.*"})
    pass: "< 0.9"
    severity: minor`,
            };
        case 'datadog':
            return {
                variables: [
                    { name: 'DD_API_KEY', kind: 'secret', what: 'a Datadog API key' },
                    { name: 'DD_APP_KEY', kind: 'secret', what: 'a Datadog application key with the timeseries_query scope' },
                ],
                provider: `  dd:
    type: datadog
    site: datadoghq.com                 # or datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, …
    apiKey: \${DD_API_KEY}               # sent as DD-API-KEY
    appKey: \${DD_APP_KEY}               # sent as DD-APPLICATION-KEY; needs the timeseries_query scope
    timeout: 10s`,
                gates: `  # Errors: the canary's error share of APM requests. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: dd
    query: |
      errors = sum:trace.http.request.errors{service:${service},version:canary}.as_count()
      hits = sum:trace.http.request.hits{service:${service},version:canary}.as_count()
      errors / hits
    pass: "< 0.01"
    over: 30m
    failAfter: 5m
    severity: critical
  # Latency: p95 and p99 of the canary's requests, in seconds.
  - name: latency_p95
    provider: dd
    query: p95:trace.http.request{service:${service},version:canary}
    pass: "< 0.5"
    over: 30m
    failAfter: 5m
  - name: latency_p99
    provider: dd
    query: p99:trace.http.request{service:${service},version:canary}
    pass: "< 1.5"
    over: 30m
    failAfter: 5m
  # Traffic floor: a canary that gets no requests proves nothing; hold until it does.
  - name: canary_traffic
    provider: dd
    query: sum:trace.http.request.hits{service:${service},version:canary}.as_rate()
    pass: ">= 1"
  # Saturation: the canary's CPU use (nanocores) against its limit (cores).
  - name: cpu_saturation
    provider: dd
    query: |
      used = max:kubernetes.cpu.usage.total{kube_deployment:${service}-canary}
      limit = max:kubernetes.cpu.limits{kube_deployment:${service}-canary}
      used / (limit * 1000000000)
    pass: "< 0.9"
    severity: minor`,
            };
        case 'cloudwatch':
            return {
                variables: [{ name: 'AWS_ROLE_ARN', kind: 'variable', what: 'an IAM role the workflow assumes by OIDC, allowed cloudwatch:GetMetricData' }],
                provider: `  cw:
    type: cloudwatch
    region: us-east-1                   # the region of the load balancer and the service
    timeout: 10s`,
                gates: `  # Errors: the canary target group's 5xx answers per request. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: cw
    query: SUM(SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="HTTPCode_Target_5XX_Count" TargetGroup="targetgroup/${service}-canary"', 'Sum', 60)) / SUM(SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="RequestCount" TargetGroup="targetgroup/${service}-canary"', 'Sum', 60))
    pass: "< 0.01"
    over: 30m
    failAfter: 5m
    step: 1m
    severity: critical
  # Latency: p95 and p99 of the targets' response time, in seconds.
  - name: latency_p95
    provider: cw
    query:
      namespace: AWS/ApplicationELB
      metric: TargetResponseTime
      dimensions: { TargetGroup: "targetgroup/${service}-canary" }
      stat: p95
    pass: "< 0.5"
    over: 30m
    failAfter: 5m
    step: 1m
  - name: latency_p99
    provider: cw
    query:
      namespace: AWS/ApplicationELB
      metric: TargetResponseTime
      dimensions: { TargetGroup: "targetgroup/${service}-canary" }
      stat: p99
    pass: "< 1.5"
    over: 30m
    failAfter: 5m
    step: 1m
  # Traffic floor: a canary that gets no requests proves nothing; hold until it does.
  - name: canary_traffic
    provider: cw
    query:
      namespace: AWS/ApplicationELB
      metric: RequestCount
      dimensions: { TargetGroup: "targetgroup/${service}-canary" }
      stat: Sum
      period: 60
    pass: ">= 1"
    staleAfter: 10m
  # Saturation: the canary ECS service's CPU, in percent.
  - name: cpu_saturation
    provider: cw
    query:
      namespace: AWS/ECS
      metric: CPUUtilization
      dimensions: { ServiceName: ${service}-canary }
      stat: Maximum
      period: 60
    pass: "< 90"
    staleAfter: 10m
    severity: minor`,
                setup: `      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: \${{ vars.AWS_ROLE_ARN }}
          aws-region: us-east-1
`,
                permissions: { 'id-token': 'write' },
            };
        case 'newrelic':
            return {
                variables: [
                    { name: 'NEW_RELIC_ACCOUNT_ID', kind: 'variable', what: 'the New Relic account id (a number)' },
                    { name: 'NEW_RELIC_API_KEY', kind: 'secret', what: 'a New Relic User key (NRAK-…)' },
                ],
                provider: `  nr:
    type: newrelic
    accountId: \${NEW_RELIC_ACCOUNT_ID}
    apiKey: \${NEW_RELIC_API_KEY}        # a User key (NRAK-…), sent as API-Key
    region: US                          # or EU
    timeout: 10s`,
                gates: `  # Errors: the canary's share of failed transactions, in percent. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: nr
    query: SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = '${service}-canary'
    pass: "< 1"
    over: 30m
    failAfter: 5m
    severity: critical
  # Latency: p95 and p99 of the canary's transactions, in seconds.
  - name: latency_p95
    provider: nr
    query: SELECT percentile(duration, 95) FROM Transaction WHERE appName = '${service}-canary'
    select: percentile.duration.95
    pass: "< 0.5"
    over: 30m
    failAfter: 5m
  - name: latency_p99
    provider: nr
    query: SELECT percentile(duration, 99) FROM Transaction WHERE appName = '${service}-canary'
    select: percentile.duration.99
    pass: "< 1.5"
    over: 30m
    failAfter: 5m
  # Traffic floor: a canary that gets no requests proves nothing; hold until it does.
  - name: canary_traffic
    provider: nr
    query: SELECT rate(count(*), 1 minute) FROM Transaction WHERE appName = '${service}-canary' SINCE 10 minutes ago
    pass: ">= 1"
  # Saturation: the busiest canary host's CPU, in percent.
  - name: cpu_saturation
    provider: nr
    query: SELECT max(cpuPercent) FROM SystemSample WHERE apmApplicationNames LIKE '%${service}-canary%' SINCE 10 minutes ago
    pass: "< 90"
    severity: minor`,
            };
        case 'postgres':
            return {
                variables: [{ name: 'DATABASE_URL', kind: 'secret', what: 'a postgres:// URL of a read-only role (the password is kept secret)' }],
                provider: `  db:
    type: postgres
    url: \${DATABASE_URL}                # postgres://rollout_gate:password@host:5432/metrics
    timeout: 5s`,
                gates: `  # Each query reads rows (ts, value) of the window :start … :end (bound as timestamptz; --now
  # replays them). Adapt the table and metric names to where the service writes its numbers.
  # Errors: the canary's share of failed requests. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: db
    query: |
      select ts, value from service_metrics
      where service = '${service}' and track = 'canary' and metric = 'error_rate'
        and ts > :start and ts <= :end
      order by ts
    pass: "< 0.01"
    over: 30m
    failAfter: 5m
    severity: critical
  # Latency: p95 and p99 of the canary's requests, in milliseconds.
  - name: latency_p95_ms
    provider: db
    query: |
      select ts, value from service_metrics
      where service = '${service}' and track = 'canary' and metric = 'latency_p95_ms'
        and ts > :start and ts <= :end
      order by ts
    pass: "< 500"
    over: 30m
    failAfter: 5m
  - name: latency_p99_ms
    provider: db
    query: |
      select ts, value from service_metrics
      where service = '${service}' and track = 'canary' and metric = 'latency_p99_ms'
        and ts > :start and ts <= :end
      order by ts
    pass: "< 1500"
    over: 30m
    failAfter: 5m
  # Traffic floor: requests in the last 10 minutes; a canary that gets none proves nothing.
  - name: canary_requests
    provider: db
    query: |
      select count(*) from requests
      where service = '${service}' and track = 'canary' and at > :now::timestamptz - interval '10 minutes'
    pass: ">= 100"
  # Saturation: the database's own connections in use, as a share of max_connections.
  - name: connection_saturation
    provider: db
    query: select count(*)::float / current_setting('max_connections')::float from pg_stat_activity
    pass: "< 0.9"
    severity: minor`,
            };
        case 'http':
            return {
                variables: [
                    { name: 'GATES_URL', kind: 'variable', what: 'the base URL of the service that answers the gate values' },
                    { name: 'GATES_TOKEN', kind: 'secret', what: 'the token that service wants (sent as X-Token)' },
                ],
                provider: `  api:
    type: http
    url: \${GATES_URL}                   # each gate's query is appended to it
    headers: { X-Token: "\${GATES_TOKEN}" }
    timeout: 10s`,
                gates: `  # Each query is a path under the provider's URL; select is a dotted path into the JSON answer.
  # With \`over\`, the value there is a series [[unixSeconds, value], …].
  # Errors: the canary's share of failed requests. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: api
    query: /v1/slo/${service}/canary/error_rate?window=30m
    select: series
    pass: "< 0.01"
    over: 30m
    failAfter: 5m
    severity: critical
  # Latency: p95 and p99 of the canary's requests, in milliseconds.
  - name: latency_p95_ms
    provider: api
    query: /v1/slo/${service}/canary/latency?quantile=0.95
    select: value
    pass: "< 500"
  - name: latency_p99_ms
    provider: api
    query: /v1/slo/${service}/canary/latency?quantile=0.99
    select: value
    pass: "< 1500"
  # Traffic floor: requests per second; a canary that gets none proves nothing.
  - name: canary_traffic
    provider: api
    query: /v1/slo/${service}/canary/requests_per_second
    select: value
    pass: ">= 1"
  # Saturation: the busiest canary instance's CPU share.
  - name: cpu_saturation
    provider: api
    query: /v1/slo/${service}/canary/cpu
    select: max
    pass: "< 0.9"
    severity: minor`,
            };
        case 'file':
            return {
                variables: [],
                provider: `  metrics:
    type: file
    path: metrics/${service}-canary.json   # written by a step before the gate (JSON or YAML)`,
                gates: `  # Each query is a dotted path into the file; the value there is a number, a boolean, or a
  # series [[unixSeconds, value], …] for \`over\`.
  # Errors: the canary's share of failed requests. A breach that lasts 5 minutes rolls back.
  - name: error_rate
    provider: metrics
    query: canary.error_rate
    pass: "< 0.01"
    over: 30m
    failAfter: 5m
    severity: critical
  # Latency: p95 and p99 of the canary's requests, in milliseconds.
  - name: latency_p95_ms
    provider: metrics
    query: canary.latency_p95_ms
    pass: "< 500"
  - name: latency_p99_ms
    provider: metrics
    query: canary.latency_p99_ms
    pass: "< 1500"
  # Traffic floor: requests per second; a canary that gets none proves nothing.
  - name: canary_traffic
    provider: metrics
    query: canary.requests_per_second
    pass: ">= 1"
  # Saturation: the busiest canary instance's CPU share.
  - name: cpu_saturation
    provider: metrics
    query: canary.cpu_max
    pass: "< 0.9"
    severity: minor`,
                setup: `      - name: Write the canary's metrics for the gate
        run: mkdir -p metrics && ./scripts/export-canary-metrics.sh > metrics/${service}-canary.json   # your exporter
`,
            };
    }
}
/** Minimum time in a stage: short at first, longer as more users see it; none for the last. */
function minDuration(i, n) {
    if (i === n - 1)
        return null;
    return i === 0 ? '30m' : i === 1 ? '1h' : '2h';
}
/** The largest step between the stages as given (at least 2): the ramp allows them, and no bigger one. */
function stepFactor(traffic) {
    let max = 2;
    for (let i = 1; i < traffic.length; i++)
        max = Math.max(max, Math.ceil(traffic[i] / traffic[i - 1]));
    return max;
}
function configText(a) {
    const s = store(a.provider, a.rollout);
    const names = stageNames(a.stages);
    const width = Math.max(...names.map((n) => n.length)) + 1;
    const stages = a.stages
        .map((t, i) => {
        const d = minDuration(i, a.stages.length);
        const name = `${names[i]},`.padEnd(width + 1);
        return `    - { name: ${name} traffic: ${String(t).padStart(3)}${d ? `, minDuration: ${d}` : ''} }`;
    })
        .join('\n');
    const vars = s.variables.length ? `\n# Needed at run time: ${s.variables.map((v) => v.name).join(', ')} (\`rollout-gate validate\` lists them).` : '';
    return `# rollout-gate: when may the ${a.rollout} release move to its next stage?
# Every key: https://github.com/rollout-gate/rollout-gate/blob/main/docs/configuration.md
# \${VAR} reads the environment when the gate runs: endpoints and secrets stay out of the file.${vars}
version: 1
rollout:
  name: ${a.rollout}
  stages:                               # in order; a promotion goes to the next one
${stages}
  ramp:
    maxStepFactor: ${stepFactor(a.stages)}${' '.repeat(Math.max(1, 21 - String(stepFactor(a.stages)).length))}# a promotion at most multiplies the traffic by this
    cooldownAfterRollback: 24h          # no promotion this soon after a rollback
  # windows: [{ days: [mon, tue, wed, thu], start: "09:00", end: "16:00", tz: "Europe/Berlin" }]
  # forceAllowed: ["@your-org/sre"]     # who may force a promotion through a HOLD

providers:
${s.provider}

defaults:
  severity: major                       # critical → ROLLBACK, major → HOLD, minor → a warning
  noData: hold                          # a gate without data holds the promotion
deadline: 5m                            # past it the run decides HOLD ("deadline exceeded")

# watch (a schedule) judges the current stage: a failing critical gate rolls back, a major one pauses.
watch:
  onCritical: rollback
  onMajor: pause

gates:
${s.gates}
`;
}
const yamlMap = (m, indent) => Object.entries(m)
    .map(([k, v]) => `${indent}${k}: ${v}`)
    .join('\n');
function stepEnv(vars) {
    if (vars.length === 0)
        return '';
    const lines = vars.filter((v) => v.name !== 'AWS_ROLE_ARN').map((v) => `          ${v.name}: \${{ ${v.kind === 'secret' ? 'secrets' : 'vars'}.${v.name} }}`);
    return lines.length ? `        env:\n${lines.join('\n')}\n` : '';
}
function permissions(base, extra) {
    return `permissions:\n${yamlMap({ ...base, ...(extra ?? {}) }, '  ')}`;
}
function workflowFiles(a) {
    const s = store(a.provider, a.rollout);
    const setup = s.setup ?? '';
    const env = stepEnv(s.variables);
    const name = a.rollout;
    const gate = {
        path: '.github/workflows/rollout-gate.yml',
        text: `# The gate on every pull request to main: a sticky comment with the gate table and the check
# run "rollout-gate / ${name}" (make it a required status check). The lint job checks the config
# without any secret.
name: rollout gate
on:
  pull_request:
    branches: [main]
${permissions({ contents: 'write', 'pull-requests': 'write', checks: 'write' }, s.permissions)}
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - run: npx --yes rollout-gate@${snapshot/* TOOL_VERSION */.wr} validate --config ${CONFIG_PATH}   # no secrets needed
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${setup}      - uses: ${ACTION}
${env}        with:
          config: ${CONFIG_PATH}
`,
    };
    const promote = {
        path: '.github/workflows/rollout-promote.yml',
        text: `# Promote ${name} to its next stage (or the one named) when its gates pass.
name: rollout promote
on:
  workflow_dispatch:
    inputs:
      target: { description: 'Target stage (default: the next one)', required: false }
      force: { description: 'Force through a HOLD', type: boolean, default: false }
      reason: { description: 'Why (required to force)', required: false }
concurrency:
  group: rollout-gate-${name}-promote
  cancel-in-progress: false
${permissions({ contents: 'write', checks: 'write', deployments: 'write' }, s.permissions)}
jobs:
  promote:
    runs-on: ubuntu-latest
    environment: production              # required reviewers approve before this job starts
    steps:
      - uses: actions/checkout@v4
${setup}      - id: gate
        uses: ${ACTION}
${env}        with:
          config: ${CONFIG_PATH}
          command: promote
          target-stage: \${{ inputs.target }}
          force: \${{ inputs.force }}
          reason: \${{ inputs.reason }}
      - name: Move the traffic
        if: steps.gate.outputs.decision == 'PROCEED'
        env:
          TRAFFIC: \${{ steps.gate.outputs.traffic }}
        run: echo "set the canary's traffic to $TRAFFIC% here"   # your deploy command
`,
    };
    const watch = {
        path: '.github/workflows/rollout-watch.yml',
        text: `# Guard the current stage of ${name} every 10 minutes: a failing critical gate rolls back,
# a failing major gate pauses every promotion until someone resumes.
name: rollout watch
on:
  schedule:
    - cron: '*/10 * * * *'
  workflow_dispatch:
concurrency:
  group: rollout-gate-${name}-watch
  cancel-in-progress: false
${permissions({ contents: 'write', deployments: 'write' }, s.permissions)}
jobs:
  watch:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${setup}      - id: gate
        uses: ${ACTION}
${env}        with:
          config: ${CONFIG_PATH}
          command: watch
          fail-on: rollback
      - name: Move the traffic back
        if: always() && steps.gate.outputs.decision == 'ROLLBACK' && steps.gate.outputs.traffic != ''
        env:
          TRAFFIC: \${{ steps.gate.outputs.traffic }}
        run: echo "set the canary's traffic to $TRAFFIC% here"   # your deploy command
`,
    };
    const comment = {
        path: '.github/workflows/rollout-commands.yml',
        text: `# "/rollout status", "/rollout promote", "/rollout rollback", "/rollout pause …", "/rollout resume"
# and "/rollout help" as the first line of a pull request comment. The commenter needs write
# access to the repository. The config is read from the default branch.
name: rollout commands
on:
  issue_comment:
    types: [created]
concurrency:
  group: rollout-gate-${name}-commands
  cancel-in-progress: false
${permissions({ contents: 'write', 'pull-requests': 'write', issues: 'write', checks: 'write', deployments: 'write' }, s.permissions)}
jobs:
  command:
    if: github.event.issue.pull_request && startsWith(github.event.comment.body, '/rollout')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${setup}      - uses: ${ACTION}
${env}        with:
          config: ${CONFIG_PATH}
          command: comment
`,
    };
    return [gate, promote, watch, comment];
}
function initFiles(a) {
    return [{ path: CONFIG_PATH, text: configText(a) }, ...workflowFiles(a)];
}
function initVariables(p) {
    return store(p, 'x').variables;
}
/** What to do next: the variables to set and the required check to add. */
function nextSteps(a) {
    const vars = initVariables(a.provider);
    const lines = ['', 'Next steps:'];
    let n = 1;
    if (vars.length) {
        lines.push(`  ${n++}. Set these in the repository (Settings → Secrets and variables → Actions):`);
        for (const v of vars)
            lines.push(`       ${v.kind === 'secret' ? 'secret  ' : 'variable'} ${v.name.padEnd(22)} ${v.what}   (gh ${v.kind} set ${v.name})`);
    }
    if (a.provider === 'file')
        lines.push(`  ${n++}. Make the step before the gate write metrics/${a.rollout}-canary.json (see the workflows).`);
    lines.push(`  ${n++}. Adapt the queries in ${CONFIG_PATH} to your metric names; check it with:`);
    lines.push(`       npx rollout-gate validate            # no secrets needed; lists the variables the run needs`);
    if (a.provider !== 'file')
        lines.push(`       npx rollout-gate validate --probe    # with the variables set: runs each gate's query once`);
    lines.push(`  ${n++}. After the first pull request run, make "rollout-gate / ${a.rollout}" a required status check`);
    lines.push(`     of the main branch (Settings → Branches → branch protection, or a ruleset).`);
    lines.push(`  ${n++}. Create the "production" environment with required reviewers (the promote workflow uses it).`);
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./lib/cli/init.js





const ROLLOUT_NAME = /^[a-z0-9._-]+$/;
/** `--stages 5,25,100`: ascending traffic percentages, 1 to 100. */
function parseStages(text) {
    const parts = text.split(',').map((p) => p.trim());
    const out = [];
    for (const p of parts) {
        const n = Number(p);
        if (p === '' || !Number.isInteger(n) || n < 1 || n > 100) {
            throw new run/* UsageError */.eb(`--stages: "${p}" is not a traffic percentage (a whole number from 1 to 100); e.g. --stages 5,25,100`);
        }
        if (out.length && n <= out[out.length - 1])
            throw new run/* UsageError */.eb(`--stages: ${n} after ${out[out.length - 1]}: the stages go up, e.g. 5,25,100`);
        out.push(n);
    }
    return out;
}
function parseProvider(text) {
    const p = text.trim().toLowerCase();
    if (!INIT_PROVIDERS.includes(p))
        throw new run/* UsageError */.eb(`--provider: "${text}" is not one of ${INIT_PROVIDERS.join(', ')}`);
    return p;
}
/** A rollout name from the directory's: lower case, other characters as "-". */
function defaultRolloutName(cwd) {
    const name = (0,external_node_path_.basename)(cwd).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
    return name ? `${name}-rollout` : 'my-rollout';
}
function checkRollout(name) {
    if (!ROLLOUT_NAME.test(name))
        throw new run/* UsageError */.eb(`--rollout: "${name}" is not a rollout name (lower-case letters, digits, ".", "_" and "-")`);
    return name;
}
async function answers(o) {
    const rolloutDefault = defaultRolloutName(o.cwd);
    if (o.ask) {
        const provider = o.provider ?? (await o.ask(`Where are the metrics? (${INIT_PROVIDERS.join(', ')})`, 'prometheus'));
        const rollout = o.rollout ?? (await o.ask('Rollout name', rolloutDefault));
        const stages = o.stages ?? (await o.ask('Stages, as traffic percentages', '5,25,100'));
        return { provider: parseProvider(provider), rollout: checkRollout(rollout.trim()), stages: parseStages(stages) };
    }
    if (o.provider === undefined)
        throw new run/* UsageError */.eb(`init needs --provider (${INIT_PROVIDERS.join(', ')}) when it cannot ask on a terminal`);
    return { provider: parseProvider(o.provider), rollout: checkRollout(o.rollout ?? rolloutDefault), stages: parseStages(o.stages ?? '5,25,100') };
}
/**
 * `rollout-gate init`: writes the config and the workflows for one metrics store. Existing files
 * are never overwritten without --force: then nothing is written at all.
 */
async function initCommand(o) {
    if (o.extra.length)
        throw new run/* UsageError */.eb(`unexpected argument "${o.extra[0]}"`);
    const a = await answers(o);
    const files = initFiles(a);
    const existing = files.filter((f) => (0,external_node_fs_.existsSync)((0,external_node_path_.join)(o.cwd, f.path))).map((f) => f.path);
    if (existing.length && !o.force) {
        throw new run/* UsageError */.eb(`init would overwrite ${existing.join(', ')}; nothing was written (--force overwrites)`);
    }
    for (const f of files) {
        const target = (0,external_node_path_.join)(o.cwd, f.path);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
        await (0,promises_.writeFile)(target, f.text);
        o.stdout(`${existing.includes(f.path) ? 'overwrote' : 'wrote'} ${f.path}\n`);
    }
    o.stdout(nextSteps(a));
    return 0;
}
/** Questions on a terminal, answered on stdin; an empty answer takes the default. */
async function terminalAsk() {
    const { createInterface } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 6848, 19));
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    return {
        ask: async (q, fallback) => {
            const answer = (await rl.question(`${q} [${fallback}]: `)).trim();
            return answer === '' ? fallback : answer;
        },
        close: () => rl.close(),
    };
}
/** The CLI's `init`: flags, and questions on stdin when it is a terminal (or the caller's `ask`). */
async function runInit(o, extra, io) {
    const terminal = io.ask === undefined && process.stdin.isTTY === true ? await terminalAsk() : null;
    try {
        return await initCommand({ provider: o.provider, rollout: o.rollout, stages: o.stages, force: o.force === true, extra, cwd: io.cwd, stdout: io.stdout, ask: io.ask ?? terminal?.ask ?? null });
    }
    finally {
        terminal?.close();
    }
}


/***/ })

};
