import type { Entity } from "@backstage/catalog-model";

/** The platform's service name of a catalog component, when it differs from the component's name. */
export const SERVICE_ANNOTATION = "agentic.dev/service";

export function serviceOf(entity: Entity): string {
  return entity.metadata.annotations?.[SERVICE_ANNOTATION] ?? entity.metadata.name;
}

/** For `<EntitySwitch.Case if={isAgenticWorkflowAvailable}>`: components only. */
export function isAgenticWorkflowAvailable(entity: Entity): boolean {
  return entity.kind.toLowerCase() === "component";
}
