// Storage kinds: PersistentVolumeClaims (and a StatefulSet's claim templates) and
// StorageClasses. Mirrors k8s.io/kubernetes pkg/apis/core/validation
// (ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeClaim) and
// pkg/apis/storage/validation (ValidateStorageClass, validateProvisioner,
// validateParameters, validateVolumeBindingMode).
import { type Field, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import { checkLabelSelector } from "./meta.ts";
import { checkQuantity } from "./pod.ts";
import { dns1123SubdomainErrors, qualifiedNameErrors } from "./syntax.ts";

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

/** ValidatePersistentVolumeClaimSpec. */
export function checkPvcSpec(spec: unknown, at: Field, template = false): void {
  const s = objectAt(spec);
  if (!s) {
    if (!template) at.at("accessModes").required("at least 1 access mode is required");
    return;
  }
  const modes = listAt(s.accessModes);
  if (modes.length === 0) at.at("accessModes").required("at least 1 access mode is required");
  for (const [i, mode] of modes.entries()) at.at("accessModes").entry(i).oneOf(mode, ACCESS_MODES);
  if (modes.includes("ReadWriteOncePod") && modes.length > 1)
    at.at("accessModes").forbidden("may not use ReadWriteOncePod with other access modes");
  checkLabelSelector(s.selector, at.at("selector"));
  at.at("volumeMode").oneOf(s.volumeMode, ["Block", "Filesystem"]);
  const className = stringAt(s.storageClassName);
  if (className)
    at.at("storageClassName").invalidEach(className, dns1123SubdomainErrors(className));
  const dataSource = objectAt(s.dataSource);
  if (dataSource) {
    if (!stringAt(dataSource.name)) at.at("dataSource", "name").required();
    if (!stringAt(dataSource.kind)) at.at("dataSource", "kind").required();
  }
  const resources = objectAt(s.resources);
  const storage = objectAt(resources?.requests)?.storage;
  const storageAt = at.at("resources").key("storage");
  if (storage === undefined || storage === null) {
    if (!dataSource) storageAt.required();
  } else {
    const q = checkQuantity(storage, storageAt);
    if (q !== undefined && q <= 0) storageAt.invalid(storage, "must be greater than zero");
  }
}

export function checkPersistentVolumeClaim(object: Obj, at: Field): void {
  checkPvcSpec(object.spec, at.at("spec"));
}

const RECLAIM = ["Delete", "Retain"];
const BINDING = ["Immediate", "WaitForFirstConsumer"];

export function checkStorageClass(object: Obj, at: Field): void {
  const provisioner = stringAt(object.provisioner);
  if (!provisioner) at.at("provisioner").required();
  else
    at.at("provisioner").invalidEach(provisioner, qualifiedNameErrors(provisioner.toLowerCase()));
  at.at("reclaimPolicy").oneOf(object.reclaimPolicy, RECLAIM);
  at.at("volumeBindingMode").oneOf(object.volumeBindingMode, BINDING);
  const parameters = objectAt(object.parameters) ?? {};
  const keys = Object.keys(parameters);
  if (keys.length > 512) at.at("parameters").tooMany(512);
  let size = 0;
  for (const [k, v] of Object.entries(parameters)) {
    if (k === "") at.at("parameters").invalid(k, "field can not be empty.");
    size += k.length + (typeof v === "string" ? v.length : 0);
  }
  if (size > 256 * 1024) at.at("parameters").tooLong(256 * 1024);
}
