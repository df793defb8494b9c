// Shapes of the /api/ui responses: the server's own definitions (packages/server/src/ui/api-types.ts),
// imported as types only, so the bundle holds none of the server's code and the type checker
// holds both sides to one contract.
export type {
  AccountSummary, ApiKeyListResponse, ExportScheduleResponse, ApiKeyRow, CompactTree, EnvironmentListResponse, Level, Member, MemberListResponse, Observation,
  ObservationDetailResponse, ProjectRef, Role, Score, ScoreChip, SessionDetailResponse, SessionListResponse, SessionRow, SessionTrace, Trace,
  TraceDetailResponse, TraceListResponse, TraceRow, User, UserListResponse, UserRow,
  PromptChatItem, PromptFolderRow, PromptGenerationRow, PromptGenerationsResponse, PromptHistoryResponse, PromptListResponse, PromptListRow,
  PromptMetricsResponse, PromptVersionMetrics, PromptVersionResponse, PromptVersionView,
  CommentCountsResponse, CommentListResponse, CommentTarget, CommentView, QueueAddResponse, QueueDetailResponse, QueueItemResponse, QueueItemView,
  QueueListResponse, QueueObjectView, QueueSummary, ScoreConfig, ScoreConfigListResponse, ScoreDistributionsResponse, ScorePageResponse, ScoreRow,
} from '@sightline/server/api-types';
export type {
  CellScore, ComparisonCell, ComparisonRow, DatasetDetailResponse, DatasetImportResponse, DatasetItemListResponse, DatasetItemResponse, DatasetItemView,
  DatasetListResponse, DatasetRow, DatasetRunListResponse, DatasetRunRow, RunComparisonResponse, ScoreAggregate, TextPreviewView,
  RetentionResponse,
  ObservationTableResponse, ObservationTableRowView, TraceCountResponse, UserDetailResponse,
} from '@sightline/server/api-types';
export type {
  ChartQuery, DashboardChart, DashboardChartType, DashboardListResponse, DashboardOverviewResponse, DashboardResponse, DashboardView, MetricRow, MetricsCatalogResponse,
  MetricsResponse,
} from '@sightline/server/api-types';
export type {
  EvaluationRuleBody, EvaluationRuleView, EvaluationTarget, EvaluatorBody, EvaluatorRecord, EvaluatorsPageResponse, EvaluatorSummary, EvaluatorTemplate,
  EvaluatorVersionsResponse, LlmConnectionOption, MappingSource, RuleFilter, VariableMapping,
} from '@sightline/server/api-types';
export type { BulkEstimateResponse, BulkRunResponse, EvaluationProgressResponse } from '@sightline/server/api-types';
export type { LlmConnectionListResponse, LlmConnectionView, PlaygroundRunDone, PlaygroundRunRequest } from '@sightline/server/api-types';
