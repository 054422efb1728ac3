#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-YPJ6XMAN.js";
import {
  DEFAULT_DELETE_BUDGET,
  parseDeleteBudget
} from "./chunk-XVXAFQO7.js";
import {
  pointerToPath
} from "./chunk-D4VEYYO7.js";
import {
  AGENT_NAMESPACE,
  SYNC_TAG
} from "./chunk-75EKFM34.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import {
  describeRef
} from "./chunk-Z62KHOJY.js";
import {
  EventPositions,
  LineIndex
} from "./chunk-OTIGXPIO.js";
import {
  constructFromEvents,
  parseEvents
} from "./chunk-XRGQOWGB.js";

// agent/alerts.ts
const { createHmac } = require("node:crypto");

// agent/config-validator.ts
var validate = validate10;
var schema11 = { "$id": "https://tether.dev/schemas/agent-config.json", "type": "object", "nullable": false, "additionalProperties": false, "properties": { "namespace": { "type": "string", "nullable": true }, "git": { "type": "object", "nullable": true, "additionalProperties": false, "properties": { "url": { "type": "string", "nullable": true }, "branch": { "type": "string", "nullable": true }, "tag": { "type": "string", "nullable": true }, "commit": { "type": "string", "nullable": true }, "secretDir": { "type": "string", "nullable": true }, "syncTag": { "type": "string", "nullable": true }, "readonly": { "type": "boolean", "nullable": true }, "verifyKeysDir": { "type": "string", "nullable": true }, "verifyMode": { "type": "string", "nullable": true, "enum": ["HEAD", "Tag", "TagAndHEAD", null] } } }, "interval": { "type": "string", "nullable": true }, "timeout": { "type": "string", "nullable": true }, "prune": { "type": "boolean", "nullable": true }, "wait": { "type": "boolean", "nullable": true }, "deleteBudget": { "type": ["string", "number", "boolean"], "nullable": true }, "units": { "type": "array", "nullable": true, "items": { "type": "object", "nullable": true, "additionalProperties": false, "properties": { "name": { "type": "string", "nullable": true }, "path": { "type": "string", "nullable": true }, "prune": { "type": "boolean", "nullable": true }, "wait": { "type": "boolean", "nullable": true }, "timeout": { "type": "string", "nullable": true }, "interval": { "type": "string", "nullable": true }, "dependsOn": { "type": "array", "nullable": true, "items": { "type": "string" } }, "targetNamespace": { "type": "string", "nullable": true }, "allowEmpty": { "type": "boolean", "nullable": true }, "pruneCrdsAndNamespaces": { "type": "boolean", "nullable": true }, "deleteBudget": { "type": ["string", "number", "boolean"], "nullable": true } }, "required": ["path"] } }, "cluster": { "type": "string", "nullable": true }, "alerts": { "type": "array", "nullable": true, "items": { "type": "object" } }, "decryption": { "type": "object", "nullable": true, "additionalProperties": false, "properties": { "provider": { "type": "string", "enum": ["sops"] }, "secretRef": { "type": "object", "nullable": true, "additionalProperties": false, "properties": { "name": { "type": "string", "nullable": true } }, "required": ["name"] } }, "required": ["provider"] }, "defaultServiceAccount": { "type": "string", "nullable": true }, "noCrossNamespaceRefs": { "type": "boolean", "nullable": true } } };
var func2 = Object.prototype.hasOwnProperty;
function validate10(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  ;
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!func2.call(schema11.properties, key0)) {
        const err0 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties" };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.namespace !== void 0) {
      let data0 = data.namespace;
      if (typeof data0 !== "string" && data0 !== null) {
        const err1 = { instancePath: instancePath + "/namespace", schemaPath: "#/properties/namespace/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.git !== void 0) {
      let data1 = data.git;
      if (!(data1 && typeof data1 == "object" && !Array.isArray(data1)) && data1 !== null) {
        const err2 = { instancePath: instancePath + "/git", schemaPath: "#/properties/git/type", keyword: "type", params: { type: "object" }, message: "must be object" };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
      if (data1 && typeof data1 == "object" && !Array.isArray(data1)) {
        for (const key1 in data1) {
          if (!func2.call(schema11.properties.git.properties, key1)) {
            const err3 = { instancePath: instancePath + "/git", schemaPath: "#/properties/git/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key1 }, message: "must NOT have additional properties" };
            if (vErrors === null) {
              vErrors = [err3];
            } else {
              vErrors.push(err3);
            }
            errors++;
          }
        }
        if (data1.url !== void 0) {
          let data2 = data1.url;
          if (typeof data2 !== "string" && data2 !== null) {
            const err4 = { instancePath: instancePath + "/git/url", schemaPath: "#/properties/git/properties/url/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err4];
            } else {
              vErrors.push(err4);
            }
            errors++;
          }
        }
        if (data1.branch !== void 0) {
          let data3 = data1.branch;
          if (typeof data3 !== "string" && data3 !== null) {
            const err5 = { instancePath: instancePath + "/git/branch", schemaPath: "#/properties/git/properties/branch/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err5];
            } else {
              vErrors.push(err5);
            }
            errors++;
          }
        }
        if (data1.tag !== void 0) {
          let data4 = data1.tag;
          if (typeof data4 !== "string" && data4 !== null) {
            const err6 = { instancePath: instancePath + "/git/tag", schemaPath: "#/properties/git/properties/tag/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err6];
            } else {
              vErrors.push(err6);
            }
            errors++;
          }
        }
        if (data1.commit !== void 0) {
          let data5 = data1.commit;
          if (typeof data5 !== "string" && data5 !== null) {
            const err7 = { instancePath: instancePath + "/git/commit", schemaPath: "#/properties/git/properties/commit/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err7];
            } else {
              vErrors.push(err7);
            }
            errors++;
          }
        }
        if (data1.secretDir !== void 0) {
          let data6 = data1.secretDir;
          if (typeof data6 !== "string" && data6 !== null) {
            const err8 = { instancePath: instancePath + "/git/secretDir", schemaPath: "#/properties/git/properties/secretDir/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err8];
            } else {
              vErrors.push(err8);
            }
            errors++;
          }
        }
        if (data1.syncTag !== void 0) {
          let data7 = data1.syncTag;
          if (typeof data7 !== "string" && data7 !== null) {
            const err9 = { instancePath: instancePath + "/git/syncTag", schemaPath: "#/properties/git/properties/syncTag/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err9];
            } else {
              vErrors.push(err9);
            }
            errors++;
          }
        }
        if (data1.readonly !== void 0) {
          let data8 = data1.readonly;
          if (typeof data8 !== "boolean" && data8 !== null) {
            const err10 = { instancePath: instancePath + "/git/readonly", schemaPath: "#/properties/git/properties/readonly/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
        if (data1.verifyKeysDir !== void 0) {
          let data9 = data1.verifyKeysDir;
          if (typeof data9 !== "string" && data9 !== null) {
            const err11 = { instancePath: instancePath + "/git/verifyKeysDir", schemaPath: "#/properties/git/properties/verifyKeysDir/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err11];
            } else {
              vErrors.push(err11);
            }
            errors++;
          }
        }
        if (data1.verifyMode !== void 0) {
          let data10 = data1.verifyMode;
          if (typeof data10 !== "string" && data10 !== null) {
            const err12 = { instancePath: instancePath + "/git/verifyMode", schemaPath: "#/properties/git/properties/verifyMode/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
          if (!(data10 === "HEAD" || data10 === "Tag" || data10 === "TagAndHEAD" || data10 === null)) {
            const err13 = { instancePath: instancePath + "/git/verifyMode", schemaPath: "#/properties/git/properties/verifyMode/enum", keyword: "enum", params: { allowedValues: schema11.properties.git.properties.verifyMode.enum }, message: "must be equal to one of the allowed values" };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
        }
      }
    }
    if (data.interval !== void 0) {
      let data11 = data.interval;
      if (typeof data11 !== "string" && data11 !== null) {
        const err14 = { instancePath: instancePath + "/interval", schemaPath: "#/properties/interval/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      }
    }
    if (data.timeout !== void 0) {
      let data12 = data.timeout;
      if (typeof data12 !== "string" && data12 !== null) {
        const err15 = { instancePath: instancePath + "/timeout", schemaPath: "#/properties/timeout/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
    }
    if (data.prune !== void 0) {
      let data13 = data.prune;
      if (typeof data13 !== "boolean" && data13 !== null) {
        const err16 = { instancePath: instancePath + "/prune", schemaPath: "#/properties/prune/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
        if (vErrors === null) {
          vErrors = [err16];
        } else {
          vErrors.push(err16);
        }
        errors++;
      }
    }
    if (data.wait !== void 0) {
      let data14 = data.wait;
      if (typeof data14 !== "boolean" && data14 !== null) {
        const err17 = { instancePath: instancePath + "/wait", schemaPath: "#/properties/wait/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
    }
    if (data.deleteBudget !== void 0) {
      let data15 = data.deleteBudget;
      if (typeof data15 !== "string" && !(typeof data15 == "number" && isFinite(data15)) && typeof data15 !== "boolean" && data15 !== null) {
        const err18 = { instancePath: instancePath + "/deleteBudget", schemaPath: "#/properties/deleteBudget/type", keyword: "type", params: { type: schema11.properties.deleteBudget.type }, message: "must be string,number,boolean,null" };
        if (vErrors === null) {
          vErrors = [err18];
        } else {
          vErrors.push(err18);
        }
        errors++;
      }
    }
    if (data.units !== void 0) {
      let data16 = data.units;
      if (!Array.isArray(data16) && data16 !== null) {
        const err19 = { instancePath: instancePath + "/units", schemaPath: "#/properties/units/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err19];
        } else {
          vErrors.push(err19);
        }
        errors++;
      }
      if (Array.isArray(data16)) {
        const len0 = data16.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data17 = data16[i0];
          if (!(data17 && typeof data17 == "object" && !Array.isArray(data17)) && data17 !== null) {
            const err20 = { instancePath: instancePath + "/units/" + i0, schemaPath: "#/properties/units/items/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err20];
            } else {
              vErrors.push(err20);
            }
            errors++;
          }
          if (data17 && typeof data17 == "object" && !Array.isArray(data17)) {
            if (data17.path === void 0) {
              const err21 = { instancePath: instancePath + "/units/" + i0, schemaPath: "#/properties/units/items/required", keyword: "required", params: { missingProperty: "path" }, message: "must have required property 'path'" };
              if (vErrors === null) {
                vErrors = [err21];
              } else {
                vErrors.push(err21);
              }
              errors++;
            }
            for (const key2 in data17) {
              if (!func2.call(schema11.properties.units.items.properties, key2)) {
                const err22 = { instancePath: instancePath + "/units/" + i0, schemaPath: "#/properties/units/items/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties" };
                if (vErrors === null) {
                  vErrors = [err22];
                } else {
                  vErrors.push(err22);
                }
                errors++;
              }
            }
            if (data17.name !== void 0) {
              let data18 = data17.name;
              if (typeof data18 !== "string" && data18 !== null) {
                const err23 = { instancePath: instancePath + "/units/" + i0 + "/name", schemaPath: "#/properties/units/items/properties/name/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err23];
                } else {
                  vErrors.push(err23);
                }
                errors++;
              }
            }
            if (data17.path !== void 0) {
              let data19 = data17.path;
              if (typeof data19 !== "string" && data19 !== null) {
                const err24 = { instancePath: instancePath + "/units/" + i0 + "/path", schemaPath: "#/properties/units/items/properties/path/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err24];
                } else {
                  vErrors.push(err24);
                }
                errors++;
              }
            }
            if (data17.prune !== void 0) {
              let data20 = data17.prune;
              if (typeof data20 !== "boolean" && data20 !== null) {
                const err25 = { instancePath: instancePath + "/units/" + i0 + "/prune", schemaPath: "#/properties/units/items/properties/prune/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
                if (vErrors === null) {
                  vErrors = [err25];
                } else {
                  vErrors.push(err25);
                }
                errors++;
              }
            }
            if (data17.wait !== void 0) {
              let data21 = data17.wait;
              if (typeof data21 !== "boolean" && data21 !== null) {
                const err26 = { instancePath: instancePath + "/units/" + i0 + "/wait", schemaPath: "#/properties/units/items/properties/wait/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
                if (vErrors === null) {
                  vErrors = [err26];
                } else {
                  vErrors.push(err26);
                }
                errors++;
              }
            }
            if (data17.timeout !== void 0) {
              let data22 = data17.timeout;
              if (typeof data22 !== "string" && data22 !== null) {
                const err27 = { instancePath: instancePath + "/units/" + i0 + "/timeout", schemaPath: "#/properties/units/items/properties/timeout/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err27];
                } else {
                  vErrors.push(err27);
                }
                errors++;
              }
            }
            if (data17.interval !== void 0) {
              let data23 = data17.interval;
              if (typeof data23 !== "string" && data23 !== null) {
                const err28 = { instancePath: instancePath + "/units/" + i0 + "/interval", schemaPath: "#/properties/units/items/properties/interval/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err28];
                } else {
                  vErrors.push(err28);
                }
                errors++;
              }
            }
            if (data17.dependsOn !== void 0) {
              let data24 = data17.dependsOn;
              if (!Array.isArray(data24) && data24 !== null) {
                const err29 = { instancePath: instancePath + "/units/" + i0 + "/dependsOn", schemaPath: "#/properties/units/items/properties/dependsOn/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                if (vErrors === null) {
                  vErrors = [err29];
                } else {
                  vErrors.push(err29);
                }
                errors++;
              }
              if (Array.isArray(data24)) {
                const len1 = data24.length;
                for (let i1 = 0; i1 < len1; i1++) {
                  if (typeof data24[i1] !== "string") {
                    const err30 = { instancePath: instancePath + "/units/" + i0 + "/dependsOn/" + i1, schemaPath: "#/properties/units/items/properties/dependsOn/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                    if (vErrors === null) {
                      vErrors = [err30];
                    } else {
                      vErrors.push(err30);
                    }
                    errors++;
                  }
                }
              }
            }
            if (data17.targetNamespace !== void 0) {
              let data26 = data17.targetNamespace;
              if (typeof data26 !== "string" && data26 !== null) {
                const err31 = { instancePath: instancePath + "/units/" + i0 + "/targetNamespace", schemaPath: "#/properties/units/items/properties/targetNamespace/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err31];
                } else {
                  vErrors.push(err31);
                }
                errors++;
              }
            }
            if (data17.allowEmpty !== void 0) {
              let data27 = data17.allowEmpty;
              if (typeof data27 !== "boolean" && data27 !== null) {
                const err32 = { instancePath: instancePath + "/units/" + i0 + "/allowEmpty", schemaPath: "#/properties/units/items/properties/allowEmpty/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
                if (vErrors === null) {
                  vErrors = [err32];
                } else {
                  vErrors.push(err32);
                }
                errors++;
              }
            }
            if (data17.pruneCrdsAndNamespaces !== void 0) {
              let data28 = data17.pruneCrdsAndNamespaces;
              if (typeof data28 !== "boolean" && data28 !== null) {
                const err33 = { instancePath: instancePath + "/units/" + i0 + "/pruneCrdsAndNamespaces", schemaPath: "#/properties/units/items/properties/pruneCrdsAndNamespaces/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
                if (vErrors === null) {
                  vErrors = [err33];
                } else {
                  vErrors.push(err33);
                }
                errors++;
              }
            }
            if (data17.deleteBudget !== void 0) {
              let data29 = data17.deleteBudget;
              if (typeof data29 !== "string" && !(typeof data29 == "number" && isFinite(data29)) && typeof data29 !== "boolean" && data29 !== null) {
                const err34 = { instancePath: instancePath + "/units/" + i0 + "/deleteBudget", schemaPath: "#/properties/units/items/properties/deleteBudget/type", keyword: "type", params: { type: schema11.properties.units.items.properties.deleteBudget.type }, message: "must be string,number,boolean,null" };
                if (vErrors === null) {
                  vErrors = [err34];
                } else {
                  vErrors.push(err34);
                }
                errors++;
              }
            }
          }
        }
      }
    }
    if (data.cluster !== void 0) {
      let data30 = data.cluster;
      if (typeof data30 !== "string" && data30 !== null) {
        const err35 = { instancePath: instancePath + "/cluster", schemaPath: "#/properties/cluster/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err35];
        } else {
          vErrors.push(err35);
        }
        errors++;
      }
    }
    if (data.alerts !== void 0) {
      let data31 = data.alerts;
      if (!Array.isArray(data31) && data31 !== null) {
        const err36 = { instancePath: instancePath + "/alerts", schemaPath: "#/properties/alerts/type", keyword: "type", params: { type: "array" }, message: "must be array" };
        if (vErrors === null) {
          vErrors = [err36];
        } else {
          vErrors.push(err36);
        }
        errors++;
      }
      if (Array.isArray(data31)) {
        const len2 = data31.length;
        for (let i2 = 0; i2 < len2; i2++) {
          let data32 = data31[i2];
          if (!(data32 && typeof data32 == "object" && !Array.isArray(data32))) {
            const err37 = { instancePath: instancePath + "/alerts/" + i2, schemaPath: "#/properties/alerts/items/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err37];
            } else {
              vErrors.push(err37);
            }
            errors++;
          }
        }
      }
    }
    if (data.decryption !== void 0) {
      let data33 = data.decryption;
      if (!(data33 && typeof data33 == "object" && !Array.isArray(data33)) && data33 !== null) {
        const err38 = { instancePath: instancePath + "/decryption", schemaPath: "#/properties/decryption/type", keyword: "type", params: { type: "object" }, message: "must be object" };
        if (vErrors === null) {
          vErrors = [err38];
        } else {
          vErrors.push(err38);
        }
        errors++;
      }
      if (data33 && typeof data33 == "object" && !Array.isArray(data33)) {
        if (data33.provider === void 0) {
          const err39 = { instancePath: instancePath + "/decryption", schemaPath: "#/properties/decryption/required", keyword: "required", params: { missingProperty: "provider" }, message: "must have required property 'provider'" };
          if (vErrors === null) {
            vErrors = [err39];
          } else {
            vErrors.push(err39);
          }
          errors++;
        }
        for (const key3 in data33) {
          if (!(key3 === "provider" || key3 === "secretRef")) {
            const err40 = { instancePath: instancePath + "/decryption", schemaPath: "#/properties/decryption/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties" };
            if (vErrors === null) {
              vErrors = [err40];
            } else {
              vErrors.push(err40);
            }
            errors++;
          }
        }
        if (data33.provider !== void 0) {
          let data34 = data33.provider;
          if (typeof data34 !== "string") {
            const err41 = { instancePath: instancePath + "/decryption/provider", schemaPath: "#/properties/decryption/properties/provider/type", keyword: "type", params: { type: "string" }, message: "must be string" };
            if (vErrors === null) {
              vErrors = [err41];
            } else {
              vErrors.push(err41);
            }
            errors++;
          }
          if (!(data34 === "sops")) {
            const err42 = { instancePath: instancePath + "/decryption/provider", schemaPath: "#/properties/decryption/properties/provider/enum", keyword: "enum", params: { allowedValues: schema11.properties.decryption.properties.provider.enum }, message: "must be equal to one of the allowed values" };
            if (vErrors === null) {
              vErrors = [err42];
            } else {
              vErrors.push(err42);
            }
            errors++;
          }
        }
        if (data33.secretRef !== void 0) {
          let data35 = data33.secretRef;
          if (!(data35 && typeof data35 == "object" && !Array.isArray(data35)) && data35 !== null) {
            const err43 = { instancePath: instancePath + "/decryption/secretRef", schemaPath: "#/properties/decryption/properties/secretRef/type", keyword: "type", params: { type: "object" }, message: "must be object" };
            if (vErrors === null) {
              vErrors = [err43];
            } else {
              vErrors.push(err43);
            }
            errors++;
          }
          if (data35 && typeof data35 == "object" && !Array.isArray(data35)) {
            if (data35.name === void 0) {
              const err44 = { instancePath: instancePath + "/decryption/secretRef", schemaPath: "#/properties/decryption/properties/secretRef/required", keyword: "required", params: { missingProperty: "name" }, message: "must have required property 'name'" };
              if (vErrors === null) {
                vErrors = [err44];
              } else {
                vErrors.push(err44);
              }
              errors++;
            }
            for (const key4 in data35) {
              if (!(key4 === "name")) {
                const err45 = { instancePath: instancePath + "/decryption/secretRef", schemaPath: "#/properties/decryption/properties/secretRef/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key4 }, message: "must NOT have additional properties" };
                if (vErrors === null) {
                  vErrors = [err45];
                } else {
                  vErrors.push(err45);
                }
                errors++;
              }
            }
            if (data35.name !== void 0) {
              let data36 = data35.name;
              if (typeof data36 !== "string" && data36 !== null) {
                const err46 = { instancePath: instancePath + "/decryption/secretRef/name", schemaPath: "#/properties/decryption/properties/secretRef/properties/name/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                if (vErrors === null) {
                  vErrors = [err46];
                } else {
                  vErrors.push(err46);
                }
                errors++;
              }
            }
          }
        }
      }
    }
    if (data.defaultServiceAccount !== void 0) {
      let data37 = data.defaultServiceAccount;
      if (typeof data37 !== "string" && data37 !== null) {
        const err47 = { instancePath: instancePath + "/defaultServiceAccount", schemaPath: "#/properties/defaultServiceAccount/type", keyword: "type", params: { type: "string" }, message: "must be string" };
        if (vErrors === null) {
          vErrors = [err47];
        } else {
          vErrors.push(err47);
        }
        errors++;
      }
    }
    if (data.noCrossNamespaceRefs !== void 0) {
      let data38 = data.noCrossNamespaceRefs;
      if (typeof data38 !== "boolean" && data38 !== null) {
        const err48 = { instancePath: instancePath + "/noCrossNamespaceRefs", schemaPath: "#/properties/noCrossNamespaceRefs/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
        if (vErrors === null) {
          vErrors = [err48];
        } else {
          vErrors.push(err48);
        }
        errors++;
      }
    }
  } else {
    const err49 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object" };
    if (vErrors === null) {
      vErrors = [err49];
    } else {
      vErrors.push(err49);
    }
    errors++;
  }
  validate10.errors = vErrors;
  return errors === 0;
}

// agent/config.ts
var ConfigError = class extends UsageError {
  constructor(message) {
    super(`configuration: ${message}`);
    this.name = "ConfigError";
  }
};
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text, field2) {
  const trimmed = String(text).trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new ConfigError(`${field2}: "${text}" is not a duration (use e.g. 30s, 5m, 1h30m)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}
function unitNameFromPath(path) {
  const name = path.toLowerCase().replace(/^\.?\/+|\/+$/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return (name || "root").slice(0, 50).replace(/-+$/, "");
}
var NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
function field(obj, key) {
  const value = obj[key];
  return value === void 0 || value === null ? void 0 : value;
}
var DEFAULTS = {
  intervalMs: 6e4,
  timeoutMs: 3e5,
  prune: false,
  wait: false,
  deleteBudget: DEFAULT_DELETE_BUDGET
};
function budgetOf(value, where, fallback) {
  if (value === void 0) return fallback;
  try {
    return parseDeleteBudget(value, where);
  } catch (error) {
    throw new ConfigError(messageOf(error));
  }
}
function parseUnit(raw, index, defaults) {
  const where = `units[${index}]`;
  const obj = raw;
  const path = field(obj, "path");
  if (!path) throw new ConfigError(`${where}.path is required`);
  const name = field(obj, "name") ?? unitNameFromPath(path);
  if (!NAME.test(name) || name.length > 50) {
    throw new ConfigError(
      `${where}.name "${name}": use lowercase letters, digits and '-' (at most 50)`
    );
  }
  const timeout = field(obj, "timeout");
  const interval = field(obj, "interval");
  return {
    name,
    path,
    prune: field(obj, "prune") ?? defaults.prune,
    wait: field(obj, "wait") ?? defaults.wait,
    timeoutMs: timeout === void 0 ? defaults.timeoutMs : parseDuration(timeout, `${where}.timeout`),
    intervalMs: interval === void 0 ? defaults.intervalMs : parseDuration(interval, `${where}.interval`),
    dependsOn: field(obj, "dependsOn") ?? [],
    targetNamespace: field(obj, "targetNamespace"),
    allowEmpty: field(obj, "allowEmpty") ?? false,
    pruneCrdsAndNamespaces: field(obj, "pruneCrdsAndNamespaces") ?? false,
    deleteBudget: budgetOf(
      field(obj, "deleteBudget"),
      `${where}.deleteBudget`,
      defaults.deleteBudget
    )
  };
}
function orderUnits(units) {
  const byName = /* @__PURE__ */ new Map();
  for (const unit of units) {
    if (byName.has(unit.name)) throw new ConfigError(`two units are named "${unit.name}"`);
    byName.set(unit.name, unit);
  }
  for (const unit of units) {
    for (const dep of unit.dependsOn) {
      if (!byName.has(dep))
        throw new ConfigError(`unit "${unit.name}" depends on "${dep}", which is not a unit`);
    }
  }
  const ordered = [];
  const state = /* @__PURE__ */ new Map();
  const visit = (unit, trail) => {
    const s = state.get(unit.name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(unit.name)), unit.name];
      throw new ConfigError(`dependency cycle: ${cycle.join(" -> ")}`);
    }
    state.set(unit.name, "visiting");
    for (const dep of unit.dependsOn) visit(byName.get(dep), [...trail, unit.name]);
    state.set(unit.name, "done");
    ordered.push(unit);
  };
  for (const unit of units) visit(unit, []);
  return ordered;
}
function parseAgentConfig(text, file) {
  let events;
  let doc;
  try {
    events = parseEvents(text, {});
    const docs = constructFromEvents(events, { source: text, maxAliases: 100 });
    if (docs.length > 1) throw new Error("one document expected, found several (---)");
    doc = docs[0] ?? null;
  } catch (error) {
    throw new ConfigError(
      `${file ? `${file}: ` : ""}not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : error}`
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new ConfigError(`${file ? `${file}: ` : ""}expected a mapping at the top`);
  const problems = shapeProblems(doc, text, events, file);
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1)
    throw new ConfigError(`${problems.length} problems:
  ${problems.join("\n  ")}`);
  const top = doc;
  const git = field(top, "git") ?? {};
  const interval = field(top, "interval");
  const timeout = field(top, "timeout");
  const defaults = {
    intervalMs: interval === void 0 ? DEFAULTS.intervalMs : parseDuration(interval, "interval"),
    timeoutMs: timeout === void 0 ? DEFAULTS.timeoutMs : parseDuration(timeout, "timeout"),
    prune: field(top, "prune") ?? DEFAULTS.prune,
    wait: field(top, "wait") ?? DEFAULTS.wait,
    deleteBudget: budgetOf(field(top, "deleteBudget"), "deleteBudget", DEFAULTS.deleteBudget)
  };
  const url = field(git, "url") ?? "";
  return {
    namespace: field(top, "namespace") ?? AGENT_NAMESPACE,
    git: {
      url,
      branch: field(git, "branch"),
      tag: field(git, "tag"),
      commit: field(git, "commit"),
      secretDir: field(git, "secretDir"),
      verifyKeysDir: field(git, "verifyKeysDir"),
      verifyMode: field(git, "verifyMode"),
      syncTag: field(git, "syncTag") ?? SYNC_TAG,
      // Read-only unless asked: the sync path never writes to Git by default, so a
      // cluster needs only a read token (Flux v1 pushed its sync tag by default).
      readonly: field(git, "readonly") ?? true
    },
    units: (field(top, "units") ?? []).map((u, i) => parseUnit(u, i, defaults)),
    cluster: field(top, "cluster"),
    alerts: parseAlerts(top.alerts, process.env, url),
    decryption: decryptionOf(field(top, "decryption")),
    lockdown: {
      defaultServiceAccount: field(top, "defaultServiceAccount"),
      noCrossNamespaceRefs: field(top, "noCrossNamespaceRefs")
    },
    deleteBudget: defaults.deleteBudget
  };
}
function decryptionOf(raw) {
  if (raw === void 0) return void 0;
  const ref = field(raw, "secretRef");
  const name = ref ? field(ref, "name") : void 0;
  if (ref && !name) throw new ConfigError("decryption.secretRef.name is required");
  return { provider: "sops", secretRef: name ? { name } : void 0 };
}
function shapeProblems(value, text, events, file) {
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const positions = new EventPositions(text, events, new LineIndex(text));
  positions.addRoot(1, 1);
  const problems = errors.map((error) => {
    const { message, pointer } = describeShapeError(error, value);
    const line = positions.locate(1, pointer)?.line;
    const where = [file, line].filter((p) => p !== void 0).join(":");
    return where ? `${where}: ${message}` : message;
  });
  return [...new Set(problems)];
}
function describeShapeError(error, value) {
  const field2 = pointerToPath(error.instancePath);
  const at = (text) => field2 ? `${field2}: ${text}` : text;
  const pointer = error.instancePath;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      return { message: at(`unknown field "${key}"`), pointer: `${pointer}/${key}` };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      return { message: `${field2 ? `${field2}.` : ""}${key} is required`, pointer };
    }
    case "type":
      return {
        message: at(
          `expected ${typeName(error.params.type)}, got ${describe(valueAt(value, pointer))}`
        ),
        pointer
      };
    case "enum": {
      const allowed = error.params.allowedValues.filter((v) => v !== null);
      return {
        message: at(
          `expected ${orList(allowed.map((v) => JSON.stringify(v)))}, got ${JSON.stringify(valueAt(value, pointer))}`
        ),
        pointer
      };
    }
    default:
      return { message: at(`does not match the schema (${error.keyword})`), pointer };
  }
}
function typeName(type) {
  const names = (Array.isArray(type) ? type : [type]).map(
    (t) => t === "object" ? "a mapping" : t === "array" ? "a list" : String(t)
  );
  return orList(names);
}
function orList(names) {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : names[0] ?? "";
}
function describe(v) {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}
function valueAt(value, pointer) {
  let v = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    v = v?.[key];
  }
  return v;
}
function validateConfig(config) {
  if (!config.git.url) throw new ConfigError("no Git URL (git.url in the file, or --git-url)");
  if (config.units.length === 0)
    throw new ConfigError("no units (units in the file, or --git-path)");
  if ([config.git.branch, config.git.tag, config.git.commit].filter(Boolean).length > 1) {
    throw new ConfigError("give one of branch, tag or commit");
  }
  if (config.git.commit !== void 0 && !/^[0-9a-f]{7,64}$/i.test(config.git.commit)) {
    throw new ConfigError(
      `commit ${JSON.stringify(config.git.commit)} is not a hexadecimal commit hash (7 to 64 digits)`
    );
  }
  return { ...config, units: orderUnits(config.units) };
}

// agent/alerts.ts
var ALERT_REASONS = [
  "PassFailed",
  "Recovered",
  "Pruned",
  "ImageUpdated"
];
var TYPES = /* @__PURE__ */ new Set(["webhook", "slack", "discord", "msteams", "github"]);
var KEYS = /* @__PURE__ */ new Set(["type", "url", "urlEnv", "severity", "events", "secretEnv", "repository"]);
function parseAlerts(raw, env = process.env, gitUrl = "") {
  if (raw === void 0 || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError("alerts: expected a list");
  return raw.map((item, i) => {
    const where = `alerts[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new ConfigError(`${where}: expected a mapping`);
    const obj = item;
    for (const key of Object.keys(obj))
      if (!KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
    const type = obj.type;
    if (!TYPES.has(type))
      throw new ConfigError(
        `${where}.type: one of ${[...TYPES].join(", ")} (got ${String(obj.type)})`
      );
    const fromEnv = (name, field2) => {
      if (name === void 0) return void 0;
      if (typeof name !== "string") throw new ConfigError(`${where}.${field2}: expected a name`);
      const value = env[name];
      if (!value)
        throw new ConfigError(`${where}.${field2}: environment variable ${name} is not set`);
      return value;
    };
    const url = (typeof obj.url === "string" ? obj.url : void 0) ?? fromEnv(obj.urlEnv, "urlEnv") ?? (type === "github" ? "https://api.github.com" : void 0);
    if (!url) throw new ConfigError(`${where}: url or urlEnv is required`);
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error();
    } catch {
      throw new ConfigError(`${where}.url: not an http(s) URL`);
    }
    const severity = obj.severity ?? "info";
    if (severity !== "info" && severity !== "error")
      throw new ConfigError(`${where}.severity: info or error`);
    const events = obj.events ?? [];
    if (!Array.isArray(events) || events.some((e) => !ALERT_REASONS.includes(e)))
      throw new ConfigError(`${where}.events: any of ${ALERT_REASONS.join(", ")}`);
    const secret = fromEnv(obj.secretEnv, "secretEnv");
    let repository = typeof obj.repository === "string" ? obj.repository : void 0;
    if (type === "github") {
      repository ??= repositoryOf(gitUrl);
      if (!repository)
        throw new ConfigError(`${where}.repository: owner/name (not derivable from the Git URL)`);
      if (!secret) throw new ConfigError(`${where}.secretEnv: a token is required for github`);
    }
    return { type, url, severity, events, secret, repository };
  });
}
function repositoryOf(gitUrl) {
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(gitUrl);
  return match ? `${match[1]}/${match[2]}` : void 0;
}
function wants(target, event) {
  if (target.severity === "error" && event.severity !== "error") return false;
  if (target.flux) return fluxWants(target.flux, event);
  if (event.object && target.type === "github") return false;
  return target.events.length === 0 || target.events.includes(event.reason);
}
function fluxWants(routing, event) {
  const object = event.object;
  if (!object) return false;
  const source = routing.sources.some(
    (s) => s.kind === object.kind && (s.name === "*" || s.name === object.name) && (s.namespace === "*" || s.namespace === object.namespace)
  );
  if (!source) return false;
  const matches = (re) => re?.test(event.message) ?? false;
  const { inclusion = [], exclusion = [] } = routing.compiled ?? {};
  if (routing.inclusionList.length > 0 && !inclusion.some(matches)) return false;
  return !exclusion.some(matches);
}
async function compileAlertFilters(targets) {
  const lists = targets.flatMap((t) => t.flux ? [t.flux] : []);
  if (!lists.some((r) => r.inclusionList.length > 0 || r.exclusionList.length > 0)) return;
  const { compileGoRegexp } = await import("./goregexp-JHVLVJOM.js");
  const compile = (pattern) => {
    try {
      return compileGoRegexp(pattern);
    } catch {
      return null;
    }
  };
  for (const routing of lists) {
    routing.compiled = {
      inclusion: routing.inclusionList.map(compile),
      exclusion: routing.exclusionList.map(compile)
    };
  }
}
function summary(event, target) {
  const at = event.revision ? ` at ${event.revision.slice(0, 12)}` : "";
  const note = target?.flux?.summary ? ` (${target.flux.summary})` : "";
  return `[${event.cluster}] ${event.unit}: ${event.reason}${at}: ${event.message}${note}`;
}
function fluxEvent(event, target) {
  const metadata = {};
  if (event.revision) metadata.revision = event.revision;
  if (target.flux?.summary) metadata.summary = target.flux.summary;
  metadata.cluster = event.cluster;
  return {
    involvedObject: event.object ?? { kind: "Unit", name: event.unit },
    severity: event.severity,
    timestamp: event.timestamp,
    message: event.message,
    reason: event.reason,
    metadata,
    reportingController: "tether-agent",
    reportingInstance: event.cluster
  };
}
function deliveryFor(target, event) {
  const json = { "content-type": "application/json" };
  switch (target.type) {
    case "webhook": {
      const body = JSON.stringify(target.flux ? fluxEvent(event, target) : event);
      const headers = { ...json };
      if (target.secret)
        headers["x-signature"] = `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
      return { url: target.url, headers, body };
    }
    case "slack": {
      const slack = { text: summary(event, target) };
      if (target.flux?.channel) slack.channel = target.flux.channel;
      if (target.flux?.username) slack.username = target.flux.username;
      return { url: target.url, headers: json, body: JSON.stringify(slack) };
    }
    case "discord":
      return {
        url: target.url,
        headers: json,
        body: JSON.stringify({ content: summary(event, target).slice(0, 2e3) })
      };
    case "msteams":
      return {
        url: target.url,
        headers: json,
        body: JSON.stringify({
          type: "message",
          attachments: [
            {
              contentType: "application/vnd.microsoft.card.adaptive",
              content: {
                $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
                type: "AdaptiveCard",
                version: "1.4",
                body: [{ type: "TextBlock", text: summary(event, target), wrap: true }]
              }
            }
          ]
        })
      };
    case "github": {
      if (!event.revision) return void 0;
      const state = event.severity === "error" ? "failure" : "success";
      return {
        url: `${target.url.replace(/\/$/, "")}/repos/${target.repository}/statuses/${event.revision}`,
        headers: {
          ...json,
          accept: "application/vnd.github+json",
          authorization: `Bearer ${target.secret}`
        },
        body: JSON.stringify({
          state,
          context: statusContext(event, target),
          description: `${event.unit}: ${event.message}`.slice(0, 140)
        })
      };
    }
  }
}
function statusContext(event, target) {
  if (target.flux && event.object)
    return `${event.object.kind.toLowerCase()}/${event.object.name}/${event.cluster}`;
  return `tether/${event.cluster}`;
}
function pendingStatus(target, cluster, revision) {
  if (target.type !== "github" || target.flux) return void 0;
  return {
    url: `${target.url.replace(/\/$/, "")}/repos/${target.repository}/statuses/${revision}`,
    headers: {
      "content-type": "application/json",
      accept: "application/vnd.github+json",
      authorization: `Bearer ${target.secret}`
    },
    body: JSON.stringify({
      state: "pending",
      context: `tether/${cluster}`,
      description: "applying"
    })
  };
}
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}
function withBasicAuth(delivery) {
  let parsed;
  try {
    parsed = new URL(delivery.url);
  } catch {
    return { url: delivery.url, headers: delivery.headers };
  }
  if (!parsed.username && !parsed.password) return { url: delivery.url, headers: delivery.headers };
  const login = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  const hasAuth = Object.keys(delivery.headers).some((h) => h.toLowerCase() === "authorization");
  return {
    url: parsed.toString(),
    headers: hasAuth ? delivery.headers : { ...delivery.headers, authorization: `Basic ${Buffer.from(login).toString("base64")}` }
  };
}
var Notifier = class {
  lastSent = /* @__PURE__ */ new Map();
  /** Send times per target in the last minute, by targetKey (Flux targets are re-read each pass). */
  window = /* @__PURE__ */ new Map();
  inFlight = /* @__PURE__ */ new Set();
  dropped = 0;
  targets;
  options;
  constructor(targets, options) {
    this.targets = targets;
    this.options = options;
  }
  get size() {
    return this.targets.length;
  }
  /** Replaces the targets read from Flux Provider and Alert objects (the configured ones stay). */
  setFluxTargets(targets) {
    this.targets = [...this.targets.filter((t) => !t.flux), ...targets];
  }
  /** Queues an event for every target that wants it; never throws, never waits. */
  notify(event, now = Date.now()) {
    for (const target of this.targets) {
      if (!wants(target, event)) continue;
      const key = `${this.targetKey(target)}/${event.reason}/${event.unit}/${event.revision ?? ""}/${event.message}`;
      const quiet = this.options.quietMs ?? 10 * 6e4;
      const last = this.lastSent.get(key);
      if (last !== void 0 && now - last < quiet) continue;
      if (!this.allow(target, now)) continue;
      this.lastSent.set(key, now);
      const delivery = deliveryFor(target, event);
      if (delivery) this.send(delivery);
    }
    if (this.lastSent.size > 1e3) {
      for (const [key, at] of this.lastSent)
        if (now - at > (this.options.quietMs ?? 6e5)) this.lastSent.delete(key);
    }
  }
  /** GitHub targets: mark a commit as being applied. */
  pending(cluster, revision) {
    for (const target of this.targets) {
      const delivery = pendingStatus(target, cluster, revision);
      if (delivery && this.allow(target, Date.now())) this.send(delivery);
    }
  }
  /** Resolves when every queued delivery has ended (used when stopping, and in tests). */
  async flush() {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
  targetKey(target) {
    return `${target.flux?.alert ?? this.targets.indexOf(target)}/${target.url}`;
  }
  allow(target, now) {
    const key = this.targetKey(target);
    const times = (this.window.get(key) ?? []).filter((t) => now - t < 6e4);
    if (times.length >= (this.options.perMinute ?? 20)) {
      this.dropped++;
      this.options.onDelivery?.("dropped");
      if (this.dropped === 1 || this.dropped % 100 === 0)
        this.options.log(`alerts: rate limit for ${hostOf(target.url)}; ${this.dropped} dropped`);
      this.window.set(key, times);
      return false;
    }
    times.push(now);
    this.window.set(key, times);
    return true;
  }
  send(delivery) {
    const job = this.deliver(delivery).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }
  async deliver(delivery) {
    const attempts = this.options.attempts ?? 4;
    const doFetch = this.options.fetch ?? fetch;
    const { url, headers } = withBasicAuth(delivery);
    let why = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(url, {
          method: "POST",
          headers,
          body: delivery.body,
          signal: AbortSignal.timeout(1e4)
        });
        await res.arrayBuffer().catch(() => void 0);
        if (res.ok) {
          this.options.onDelivery?.("sent");
          return;
        }
        why = `HTTP ${res.status}`;
        if (res.status < 500 && res.status !== 429) break;
      } catch (error) {
        why = messageOf(error).split(delivery.url).join(hostOf(delivery.url)).split(url).join(hostOf(url));
      }
      if (attempt < attempts)
        await new Promise(
          (r) => setTimeout(r, (this.options.backoffMs ?? 1e3) * 2 ** (attempt - 1))
        );
    }
    this.options.onDelivery?.("failed");
    this.options.log(`alerts: sending to ${hostOf(delivery.url)} failed: ${why}`);
  }
};
function eventsOfUnit(unit, wasOk, outcome, cluster, now = /* @__PURE__ */ new Date()) {
  const base = { unit, revision: outcome.revision, cluster, timestamp: now.toISOString() };
  const events = [];
  if (!outcome.ok)
    events.push({
      ...base,
      reason: "PassFailed",
      severity: "error",
      message: outcome.error ?? "the pass failed"
    });
  else if (wasOk === false)
    events.push({
      ...base,
      reason: "Recovered",
      severity: "info",
      message: "the pass succeeded again"
    });
  if (outcome.pruned.length > 0)
    events.push({
      ...base,
      reason: "Pruned",
      severity: "info",
      message: `pruned ${outcome.pruned.length}: ${outcome.pruned.slice(0, 10).join(", ")}${outcome.pruned.length > 10 ? ", ..." : ""}`
    });
  return events;
}
function prunedOf(report) {
  return (report?.changes ?? []).filter((c) => c.action === "pruned").map((c) => describeRef(c.ref));
}
function eventsOfKustomization(report, wasReady, cluster, now = /* @__PURE__ */ new Date()) {
  if (report.skipped || report.suspended) return [];
  const [namespace = "", name = ""] = report.key.split("/");
  const object = {
    apiVersion: report.object.apiVersion,
    kind: report.object.kind,
    name,
    namespace
  };
  return eventsOfUnit(
    `${report.object.kind}/${report.key}`,
    wasReady,
    {
      ok: report.ready,
      error: report.message,
      revision: report.revision?.replace(/^.*sha1:/, ""),
      pruned: prunedOf(report)
    },
    cluster,
    now
  ).map((event) => ({ ...event, object }));
}

export {
  ALERT_REASONS,
  parseAlerts,
  repositoryOf,
  wants,
  compileAlertFilters,
  deliveryFor,
  pendingStatus,
  Notifier,
  eventsOfUnit,
  prunedOf,
  eventsOfKustomization,
  ConfigError,
  parseDuration,
  unitNameFromPath,
  DEFAULTS,
  parseAgentConfig,
  validateConfig
};
