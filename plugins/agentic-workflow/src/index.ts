export { agenticWorkflowPlugin, AgenticWorkflowPage, EntityAgenticWorkflowContent } from "./plugin";
export { agenticWorkflowApiRef, AgenticWorkflowClient } from "./api";
export type { AgenticWorkflowApi } from "./api";
export { SERVICE_ANNOTATION, serviceOf, isAgenticWorkflowAvailable } from "./service";
