export const id = 251;
export const ids = [251];
export const modules = {

/***/ 251:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   recordStageChange: () => (/* binding */ recordStageChange)
/* harmony export */ });
/* harmony import */ var _octokit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1282);

const TASK = 'rollout';
/** The newest deployment of this rollout's environment that is at `stage`. */
async function deploymentOf(d, stage) {
    const { data } = await d.octokit.rest.repos.listDeployments({ owner: d.owner, repo: d.repo, environment: d.environment, task: TASK, per_page: 30 });
    const found = data.find((x) => x.payload !== null && typeof x.payload === 'object' && x.payload.stage === stage);
    return found?.id ?? null;
}
/**
 * Records a stage change as GitHub deployments (SPEC §8.3): a deployment of the new stage (task
 * `rollout`, payload and description naming stage and traffic) with a `success` status linking
 * the evidence; a rollback first marks the rolled-back stage's deployment inactive (failure when
 * the gates forced it). Returns the new deployment's id (null when the rollout left every stage).
 */
async function recordStageChange(d, change) {
    const { octokit, owner, repo } = d;
    try {
        if (change.kind === 'rollback' && change.from) {
            const old = await deploymentOf(d, change.from);
            if (old !== null) {
                await octokit.rest.repos.createDeploymentStatus({
                    owner,
                    repo,
                    deployment_id: old,
                    state: change.forcedByGates ? 'failure' : 'inactive',
                    description: `${change.from} rolled back${change.forcedByGates ? ' by its gates' : ''}`.slice(0, 140),
                    ...(change.logUrl ? { log_url: change.logUrl } : {}),
                });
            }
        }
        if (change.to === null)
            return null;
        const description = `${d.rollout}: ${change.to} at ${change.traffic}% traffic${change.kind === 'rollback' ? ` (rolled back from ${change.from ?? 'none'})` : ''}`.slice(0, 140);
        const created = await octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref: d.ref,
            task: TASK,
            environment: d.environment,
            description,
            payload: { rollout: d.rollout, stage: change.to, traffic: change.traffic, from: change.from, actor: change.actor },
            // The gates already judged this change; GitHub must not hold it for the ref's status checks.
            required_contexts: [],
            auto_merge: false,
            production_environment: change.traffic === 100,
        });
        const id = created.data.id;
        if (typeof id !== 'number')
            throw new Error(`GitHub did not create the deployment: ${created.data.message ?? 'no id'}`);
        await octokit.rest.repos.createDeploymentStatus({
            owner,
            repo,
            deployment_id: id,
            state: 'success',
            description,
            ...(change.logUrl ? { log_url: change.logUrl } : {}),
            ...(d.url ? { environment_url: d.url } : {}),
            environment: d.environment,
            // The previous stage's deployment is superseded, not failed.
            auto_inactive: true,
        });
        return id;
    }
    catch (e) {
        throw new _octokit_js__WEBPACK_IMPORTED_MODULE_0__/* .GitHubError */ .y_(`recording the deployment of ${change.to ?? 'no stage'} in ${d.environment}`, e, d.redactor);
    }
}


/***/ })

};
