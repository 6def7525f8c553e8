/**
 * @module
 * What the evaluation view draws: an evaluate answer as it is on the wire (`POST /v1/tasks/{id}/evaluate`, NaN as
 * null), plus where it came from. Everything past the metric rows is optional: the CLI's client-side evaluation
 * (an API without the route) has only accuracies, and the view says what it lacks instead of failing.
 */
export interface Row {
  readonly name: string;
  readonly n: number;
  readonly accuracy: number | null;
  readonly macroF1?: number | null;
  readonly logLoss?: number | null;
}

export interface CoverageRow {
  readonly name: string;
  readonly level: number;
  readonly n: number;
  readonly coverage: number | null;
  readonly meanSetSize: number | null;
  readonly calibrated: number;
}

export interface Curve {
  readonly name: string;
  readonly points: readonly { abstain: number; kept: number; accuracy: number | null }[];
}

export interface Bin {
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  readonly confidence: number | null;
  readonly accuracy: number | null;
}

export interface Detail {
  readonly strategy: string;
  readonly n: number;
  readonly confusion: readonly { truth: string; predicted: string; count: number }[];
  readonly perLabel: readonly {
    label: string;
    support: number;
    precision: number | null;
    recall: number | null;
    f1: number;
  }[];
  readonly reliability: {
    readonly calibrated: readonly Bin[];
    readonly uncalibrated: readonly Bin[];
    readonly ece: { readonly calibrated: number | null; readonly uncalibrated: number | null };
  };
  readonly shares: readonly { modality: string; n: number; agreed: number; share: number }[];
}

export interface ReportInput {
  readonly task?: string;
  readonly items?: number;
  /** Who evaluated: the API's route, or the CLI item by item. */
  readonly source?: string;
  readonly strategies: readonly Row[];
  readonly modalities: readonly Row[];
  readonly recommended?: string;
  readonly coverage?: {
    readonly modalities: readonly CoverageRow[];
    readonly strategies: readonly CoverageRow[];
  };
  readonly abstention?: readonly Curve[];
  readonly detail?: Detail;
}
