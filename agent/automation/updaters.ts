// Every image updater (updater.ts), in the order a pass runs them: Flux v2 setter
// markers, then Flux v1 annotations.

import type { ImageUpdater } from "./updater.ts";
import { annotationUpdater } from "./updater-annotations.ts";
import { markerUpdater } from "./updater-markers.ts";

export const IMAGE_UPDATERS: readonly ImageUpdater[] = [markerUpdater, annotationUpdater];
