import type { ProviderConfig } from '../../config/schema.js';
import { alertmanagerModule } from './alertmanager.js';
import { cloudwatchModule } from './cloudwatch.js';
import { datadogModule } from './datadog.js';
import { fileModule } from './file.js';
import { githubModule } from './github.js';
import { httpModule } from './http.js';
import type { ProviderModule } from './module.js';
import { newrelicModule } from './newrelic.js';
import { postgresModule } from './postgres.js';
import { prometheusModule } from './prometheus.js';

export { alertmanagerModule, cloudwatchModule, datadogModule, fileModule, githubModule, httpModule, newrelicModule, postgresModule, prometheusModule };
export { DATADOG_SITES } from './datadog.js';
export type { GateField, ProviderLimits, ProviderModule, ResolutionSource } from './module.js';

/** Every provider type, one module each: what it is, in one place. */
export const PROVIDER_MODULES: Record<ProviderConfig['type'], ProviderModule> = {
  prometheus: prometheusModule,
  datadog: datadogModule,
  cloudwatch: cloudwatchModule,
  newrelic: newrelicModule,
  postgres: postgresModule,
  http: httpModule,
  file: fileModule,
  alertmanager: alertmanagerModule,
  github: githubModule,
};

/** The module of a provider type. */
export function moduleOf(type: ProviderConfig['type']): ProviderModule {
  return PROVIDER_MODULES[type];
}
