/** Input and output names, exactly as action.yml declares them. */
export const Inputs = {
  Config: 'config',
  Command: 'command',
  TargetStage: 'target-stage',
  GithubToken: 'github-token',
  FailOn: 'fail-on',
  Comment: 'comment',
  Evidence: 'evidence',
  Force: 'force',
  Reason: 'reason',
  KillSwitch: 'kill-switch',
  DryRun: 'dry-run',
  Timeout: 'timeout',
  CalibrateDays: 'calibrate-days',
  CalibrateGates: 'calibrate-gates',
  CalibrateFailRate: 'calibrate-fail-rate',
  LedgerPath: 'ledger-path',
  CalibrateExclude: 'calibrate-exclude',
} as const;

export const Outputs = {
  Decision: 'decision',
  CurrentStage: 'current-stage',
  TargetStage: 'target-stage',
  FailedGates: 'failed-gates',
  ReportJson: 'report-json',
  EvidencePath: 'evidence-path',
  EvidenceCommit: 'evidence-commit',
  CommentUrl: 'comment-url',
  Approvers: 'approvers',
  Traffic: 'traffic',
  Flags: 'flags',
} as const;
