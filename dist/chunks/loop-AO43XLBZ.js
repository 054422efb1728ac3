#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  RECORDS_SELECTOR,
  gitSpecOf,
  imageStatus,
  reconcilePatch,
  syncOnce,
  unitRequests,
  writeImageStatus
} from "./chunk-T6QXN7BO.js";
import {
  COUNTED,
  formatChange,
  isShown
} from "./chunk-CVK26UKQ.js";
import "./chunk-YUK5ZNS5.js";
import "./chunk-MQEAY646.js";
import "./chunk-3GQA4N5P.js";
import "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import {
  CreatedCache
} from "./chunk-IE7JZNQV.js";
import "./chunk-F6H36ORJ.js";
import {
  inventoryOf,
  readyCondition,
  statusFor,
  writeStatus
} from "./chunk-AMVUJONU.js";
import "./chunk-XLD4VZZ5.js";
import "./chunk-GJG7ON5F.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XB2UJ6TZ.js";
import "./chunk-G2PVCOPF.js";
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import {
  Notifier,
  compileAlertFilters,
  eventsOfKustomization,
  eventsOfUnit,
  prunedOf,
  repositoryOf
} from "./chunk-OENG63DF.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-D4VEYYO7.js";
import {
  HELM_GROUP,
  KUSTOMIZATION_API,
  KUSTOMIZE_GROUP,
  NOTIFICATION_GROUP,
  REQUESTED_AT_ANNOTATION,
  SOURCE_GROUP,
  nsName,
  parseFluxDuration
} from "./chunk-WOA5VQJZ.js";
import {
  HTTP_PORT
} from "./chunk-75EKFM34.js";
import "./chunk-EMBC4T2D.js";
import "./chunk-C4RKCN44.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import {
  version
} from "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import {
  KubeClient
} from "./chunk-H2G2PVUL.js";
import "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  groupOf,
  refOf
} from "./chunk-Z62KHOJY.js";
import "./chunk-4N4YRRRI.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-SGKLXC2P.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-3IQPLNQJ.js";

// node_modules/prom-client/lib/util.js
var require_util = __commonJS({
  "node_modules/prom-client/lib/util.js"(exports) {
    "use strict";
    exports.getValueAsString = function getValueString(value) {
      if (Number.isNaN(value)) {
        return "Nan";
      } else if (!Number.isFinite(value)) {
        if (value < 0) {
          return "-Inf";
        } else {
          return "+Inf";
        }
      } else {
        return `${value}`;
      }
    };
    exports.removeLabels = function removeLabels(hashMap, labels, sortedLabelNames) {
      const hash = hashObject(labels, sortedLabelNames);
      delete hashMap[hash];
    };
    exports.setValue = function setValue(hashMap, value, labels) {
      const hash = hashObject(labels);
      hashMap[hash] = {
        value: typeof value === "number" ? value : 0,
        labels: labels || {}
      };
      return hashMap;
    };
    exports.setValueDelta = function setValueDelta(hashMap, deltaValue, labels, hash = "") {
      const value = typeof deltaValue === "number" ? deltaValue : 0;
      if (hashMap[hash]) {
        hashMap[hash].value += value;
      } else {
        hashMap[hash] = { value, labels };
      }
      return hashMap;
    };
    exports.getLabels = function(labelNames, args) {
      if (typeof args[0] === "object") {
        return args[0];
      }
      if (labelNames.length !== args.length) {
        throw new Error(
          `Invalid number of arguments (${args.length}): "${args.join(
            ", "
          )}" for label names (${labelNames.length}): "${labelNames.join(", ")}".`
        );
      }
      const acc = {};
      for (let i = 0; i < labelNames.length; i++) {
        acc[labelNames[i]] = args[i];
      }
      return acc;
    };
    function fastHashObject(keys, labels) {
      if (keys.length === 0) {
        return "";
      }
      let hash = "";
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const value = labels[key];
        if (value === void 0) continue;
        hash += `${key}:${value},`;
      }
      return hash;
    }
    function hashObject(labels, labelNames) {
      if (labelNames) {
        return fastHashObject(labelNames, labels);
      }
      const keys = Object.keys(labels);
      if (keys.length > 1) {
        keys.sort();
      }
      return fastHashObject(keys, labels);
    }
    exports.hashObject = hashObject;
    exports.isObject = function isObject(obj) {
      return obj !== null && typeof obj === "object";
    };
    exports.nowTimestamp = function nowTimestamp() {
      return Date.now() / 1e3;
    };
    var Grouper = class extends Map {
      /**
       * Adds the `value` to the `key`'s array of values.
       * @param {*} key Key to set.
       * @param {*} value Value to add to `key`'s array.
       * @returns {undefined} undefined.
       */
      add(key, value) {
        if (this.has(key)) {
          this.get(key).push(value);
        } else {
          this.set(key, [value]);
        }
      }
    };
    exports.Grouper = Grouper;
  }
});

// node_modules/prom-client/lib/validation.js
var require_validation = __commonJS({
  "node_modules/prom-client/lib/validation.js"(exports) {
    "use strict";
    var util = __require("util");
    var metricRegexp = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
    var labelRegexp = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
    exports.validateMetricName = function(name) {
      return metricRegexp.test(name);
    };
    exports.validateLabelName = function(names = []) {
      return names.every((name) => labelRegexp.test(name));
    };
    exports.validateLabel = function validateLabel(savedLabels, labels) {
      for (const label in labels) {
        if (!savedLabels.includes(label)) {
          throw new Error(
            `Added label "${label}" is not included in initial labelset: ${util.inspect(
              savedLabels
            )}`
          );
        }
      }
    };
  }
});

// node_modules/prom-client/lib/registry.js
var require_registry = __commonJS({
  "node_modules/prom-client/lib/registry.js"(exports, module) {
    "use strict";
    var { getValueAsString } = require_util();
    var Registry2 = class _Registry {
      static get PROMETHEUS_CONTENT_TYPE() {
        return "text/plain; version=0.0.4; charset=utf-8";
      }
      static get OPENMETRICS_CONTENT_TYPE() {
        return "application/openmetrics-text; version=1.0.0; charset=utf-8";
      }
      constructor(regContentType = _Registry.PROMETHEUS_CONTENT_TYPE) {
        this._metrics = {};
        this._collectors = [];
        this._defaultLabels = {};
        if (regContentType !== _Registry.PROMETHEUS_CONTENT_TYPE && regContentType !== _Registry.OPENMETRICS_CONTENT_TYPE) {
          throw new TypeError(`Content type ${regContentType} is unsupported`);
        }
        this._contentType = regContentType;
      }
      getMetricsAsArray() {
        return Object.values(this._metrics);
      }
      async getMetricsAsString(metrics) {
        const metric = typeof metrics.getForPromString === "function" ? await metrics.getForPromString() : await metrics.get();
        const name = escapeString(metric.name);
        const help = `# HELP ${name} ${escapeString(metric.help)}`;
        const type = `# TYPE ${name} ${metric.type}`;
        const values = [help, type];
        const defaultLabels = Object.keys(this._defaultLabels).length > 0 ? this._defaultLabels : null;
        const isOpenMetrics = this.contentType === _Registry.OPENMETRICS_CONTENT_TYPE;
        for (const val of metric.values || []) {
          let { metricName = name, labels = {} } = val;
          const { sharedLabels = {} } = val;
          if (isOpenMetrics && metric.type === "counter") {
            metricName = `${metricName}_total`;
          }
          if (defaultLabels) {
            labels = { ...labels, ...defaultLabels, ...labels };
          }
          const formattedLabels = formatLabels(labels, sharedLabels);
          const flattenedShared = flattenSharedLabels(sharedLabels);
          const labelParts = [...formattedLabels, flattenedShared].filter(Boolean);
          const labelsString = labelParts.length ? `{${labelParts.join(",")}}` : "";
          let fullMetricLine = `${metricName}${labelsString} ${getValueAsString(
            val.value
          )}`;
          const { exemplar } = val;
          if (exemplar && isOpenMetrics) {
            const formattedExemplars = formatLabels(exemplar.labelSet);
            fullMetricLine += ` # {${formattedExemplars.join(
              ","
            )}} ${getValueAsString(exemplar.value)} ${exemplar.timestamp}`;
          }
          values.push(fullMetricLine);
        }
        return values.join("\n");
      }
      async metrics() {
        const isOpenMetrics = this.contentType === _Registry.OPENMETRICS_CONTENT_TYPE;
        const promises = this.getMetricsAsArray().map((metric) => {
          if (isOpenMetrics && metric.type === "counter") {
            metric.name = standardizeCounterName(metric.name);
          }
          return this.getMetricsAsString(metric);
        });
        const resolves = await Promise.all(promises);
        return isOpenMetrics ? `${resolves.join("\n")}
# EOF
` : `${resolves.join("\n\n")}
`;
      }
      registerMetric(metric) {
        if (this._metrics[metric.name] && this._metrics[metric.name] !== metric) {
          throw new Error(
            `A metric with the name ${metric.name} has already been registered.`
          );
        }
        this._metrics[metric.name] = metric;
      }
      clear() {
        this._metrics = {};
        this._defaultLabels = {};
      }
      async getMetricsAsJSON() {
        const metrics = [];
        const defaultLabelNames = Object.keys(this._defaultLabels);
        const promises = [];
        for (const metric of this.getMetricsAsArray()) {
          promises.push(metric.get());
        }
        const resolves = await Promise.all(promises);
        for (const item of resolves) {
          if (item.values && defaultLabelNames.length > 0) {
            for (const val of item.values) {
              val.labels = Object.assign({}, val.labels);
              for (const labelName of defaultLabelNames) {
                val.labels[labelName] = val.labels[labelName] || this._defaultLabels[labelName];
              }
            }
          }
          metrics.push(item);
        }
        return metrics;
      }
      removeSingleMetric(name) {
        delete this._metrics[name];
      }
      getSingleMetricAsString(name) {
        return this.getMetricsAsString(this._metrics[name]);
      }
      getSingleMetric(name) {
        return this._metrics[name];
      }
      setDefaultLabels(labels) {
        this._defaultLabels = labels;
      }
      resetMetrics() {
        for (const metric in this._metrics) {
          this._metrics[metric].reset();
        }
      }
      get contentType() {
        return this._contentType;
      }
      setContentType(metricsContentType) {
        if (metricsContentType === _Registry.OPENMETRICS_CONTENT_TYPE || metricsContentType === _Registry.PROMETHEUS_CONTENT_TYPE) {
          this._contentType = metricsContentType;
        } else {
          throw new Error(`Content type ${metricsContentType} is unsupported`);
        }
      }
      static merge(registers) {
        const regType = registers[0].contentType;
        for (const reg of registers) {
          if (reg.contentType !== regType) {
            throw new Error(
              "Registers can only be merged if they have the same content type"
            );
          }
        }
        const mergedRegistry = new _Registry(regType);
        const metricsToMerge = registers.reduce(
          (acc, reg) => acc.concat(reg.getMetricsAsArray()),
          []
        );
        metricsToMerge.forEach(mergedRegistry.registerMetric, mergedRegistry);
        return mergedRegistry;
      }
    };
    function formatLabels(labels, exclude) {
      const { hasOwnProperty } = Object.prototype;
      const formatted = [];
      for (const [name, value] of Object.entries(labels)) {
        if (!exclude || !hasOwnProperty.call(exclude, name)) {
          formatted.push(`${name}="${escapeLabelValue(value)}"`);
        }
      }
      return formatted;
    }
    var sharedLabelCache = /* @__PURE__ */ new WeakMap();
    function flattenSharedLabels(labels) {
      const cached = sharedLabelCache.get(labels);
      if (cached) {
        return cached;
      }
      const formattedLabels = formatLabels(labels);
      const flattened = formattedLabels.join(",");
      sharedLabelCache.set(labels, flattened);
      return flattened;
    }
    function escapeLabelValue(str) {
      if (typeof str !== "string") {
        return str;
      }
      return escapeString(str).replace(/"/g, '\\"');
    }
    function escapeString(str) {
      return str.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
    }
    function standardizeCounterName(name) {
      return name.replace(/_total$/, "");
    }
    module.exports = Registry2;
    module.exports.globalRegistry = new Registry2();
  }
});

// node_modules/prom-client/lib/metric.js
var require_metric = __commonJS({
  "node_modules/prom-client/lib/metric.js"(exports, module) {
    "use strict";
    var Registry2 = require_registry();
    var { isObject } = require_util();
    var { validateMetricName, validateLabelName } = require_validation();
    var Metric = class {
      constructor(config, defaults = {}) {
        if (!isObject(config)) {
          throw new TypeError("constructor expected a config object");
        }
        Object.assign(
          this,
          {
            labelNames: [],
            registers: [Registry2.globalRegistry],
            aggregator: "sum",
            enableExemplars: false
          },
          defaults,
          config
        );
        if (!this.registers) {
          this.registers = [Registry2.globalRegistry];
        }
        if (!this.help) {
          throw new Error("Missing mandatory help parameter");
        }
        if (!this.name) {
          throw new Error("Missing mandatory name parameter");
        }
        if (!validateMetricName(this.name)) {
          throw new Error("Invalid metric name");
        }
        if (!validateLabelName(this.labelNames)) {
          throw new Error("Invalid label name");
        }
        if (this.collect && typeof this.collect !== "function") {
          throw new Error('Optional "collect" parameter must be a function');
        }
        if (this.labelNames) {
          this.sortedLabelNames = [...this.labelNames].sort();
        } else {
          this.sortedLabelNames = [];
        }
        this.reset();
        for (const register of this.registers) {
          if (this.enableExemplars && register.contentType === Registry2.PROMETHEUS_CONTENT_TYPE) {
            throw new TypeError(
              "Exemplars are supported only on OpenMetrics registries"
            );
          }
          register.registerMetric(this);
        }
      }
      reset() {
      }
    };
    module.exports = { Metric };
  }
});

// node_modules/prom-client/lib/exemplar.js
var require_exemplar = __commonJS({
  "node_modules/prom-client/lib/exemplar.js"(exports, module) {
    "use strict";
    var Exemplar = class {
      constructor(labelSet = {}, value = null) {
        this.labelSet = labelSet;
        this.value = value;
      }
      /**
       * Validation for the label set format.
       * https://github.com/OpenObservability/OpenMetrics/blob/d99b705f611b75fec8f450b05e344e02eea6921d/specification/OpenMetrics.md#exemplars
       *
       * @param {object} labelSet - Exemplar labels.
       * @throws {RangeError}
       * @return {void}
       */
      validateExemplarLabelSet(labelSet) {
        let res = "";
        for (const [labelName, labelValue] of Object.entries(labelSet)) {
          res += `${labelName}${labelValue}`;
        }
        if (res.length > 128) {
          throw new RangeError(
            "Label set size must be smaller than 128 UTF-8 chars"
          );
        }
      }
    };
    module.exports = Exemplar;
  }
});

// node_modules/prom-client/lib/counter.js
var require_counter = __commonJS({
  "node_modules/prom-client/lib/counter.js"(exports, module) {
    "use strict";
    var util = __require("util");
    var {
      hashObject,
      isObject,
      getLabels,
      removeLabels,
      nowTimestamp
    } = require_util();
    var { validateLabel } = require_validation();
    var { Metric } = require_metric();
    var Exemplar = require_exemplar();
    var Counter2 = class extends Metric {
      constructor(config) {
        super(config);
        this.type = "counter";
        this.defaultLabels = {};
        this.defaultValue = 1;
        this.defaultExemplarLabelSet = {};
        if (config.enableExemplars) {
          this.enableExemplars = true;
          this.inc = this.incWithExemplar;
        } else {
          this.inc = this.incWithoutExemplar;
        }
      }
      /**
       * Increment counter
       * @param {object} labels - What label you want to be incremented
       * @param {Number} value - Value to increment, if omitted increment with 1
       * @returns {object} results - object with information about the inc operation
       * @returns {string} results.labelHash - hash representation of the labels
       */
      incWithoutExemplar(labels, value) {
        let hash = "";
        if (isObject(labels)) {
          hash = hashObject(labels, this.sortedLabelNames);
          validateLabel(this.labelNames, labels);
        } else {
          value = labels;
          labels = {};
        }
        if (value && !Number.isFinite(value)) {
          throw new TypeError(`Value is not a valid number: ${util.format(value)}`);
        }
        if (value < 0) {
          throw new Error("It is not possible to decrease a counter");
        }
        if (value === null || value === void 0) value = 1;
        setValue(this.hashMap, value, labels, hash);
        return { labelHash: hash };
      }
      /**
       * Increment counter with exemplar, same as inc but accepts labels for an
       * exemplar.
       * If no label is provided the current exemplar labels are kept unchanged
       * (defaults to empty set).
       *
       * @param {object} incOpts - Object with options about what metric to increase
       * @param {object} incOpts.labels - What label you want to be incremented,
       *                                  defaults to null (metric with no labels)
       * @param {Number} incOpts.value - Value to increment, defaults to 1
       * @param {object} incOpts.exemplarLabels - Key-value  labels for the
       *                                          exemplar, defaults to empty set {}
       * @returns {void}
       */
      incWithExemplar({
        labels = this.defaultLabels,
        value = this.defaultValue,
        exemplarLabels = this.defaultExemplarLabelSet
      } = {}) {
        const res = this.incWithoutExemplar(labels, value);
        this.updateExemplar(exemplarLabels, value, res.labelHash);
      }
      updateExemplar(exemplarLabels, value, hash) {
        if (exemplarLabels === this.defaultExemplarLabelSet) return;
        if (!isObject(this.hashMap[hash].exemplar)) {
          this.hashMap[hash].exemplar = new Exemplar();
        }
        this.hashMap[hash].exemplar.validateExemplarLabelSet(exemplarLabels);
        this.hashMap[hash].exemplar.labelSet = exemplarLabels;
        this.hashMap[hash].exemplar.value = value ? value : 1;
        this.hashMap[hash].exemplar.timestamp = nowTimestamp();
      }
      /**
       * Reset counter
       * @returns {void}
       */
      reset() {
        this.hashMap = {};
        if (this.labelNames.length === 0) {
          setValue(this.hashMap, 0);
        }
      }
      async get() {
        if (this.collect) {
          const v = this.collect();
          if (v instanceof Promise) await v;
        }
        return {
          help: this.help,
          name: this.name,
          type: this.type,
          values: Object.values(this.hashMap),
          aggregator: this.aggregator
        };
      }
      labels(...args) {
        const labels = getLabels(this.labelNames, args) || {};
        return {
          inc: this.inc.bind(this, labels)
        };
      }
      remove(...args) {
        const labels = getLabels(this.labelNames, args) || {};
        validateLabel(this.labelNames, labels);
        return removeLabels.call(this, this.hashMap, labels, this.sortedLabelNames);
      }
    };
    function setValue(hashMap, value, labels = {}, hash = "") {
      if (hashMap[hash]) {
        hashMap[hash].value += value;
      } else {
        hashMap[hash] = { value, labels };
      }
      return hashMap;
    }
    module.exports = Counter2;
  }
});

// node_modules/prom-client/lib/gauge.js
var require_gauge = __commonJS({
  "node_modules/prom-client/lib/gauge.js"(exports, module) {
    "use strict";
    var util = __require("util");
    var {
      setValue,
      setValueDelta,
      getLabels,
      hashObject,
      isObject,
      removeLabels
    } = require_util();
    var { validateLabel } = require_validation();
    var { Metric } = require_metric();
    var Gauge2 = class extends Metric {
      constructor(config) {
        super(config);
        this.type = "gauge";
      }
      /**
       * Set a gauge to a value
       * @param {object} labels - Object with labels and their values
       * @param {Number} value - Value to set the gauge to, must be positive
       * @returns {void}
       */
      set(labels, value) {
        value = getValueArg(labels, value);
        labels = getLabelArg(labels);
        set(this, labels, value);
      }
      /**
       * Reset gauge
       * @returns {void}
       */
      reset() {
        this.hashMap = {};
        if (this.labelNames.length === 0) {
          setValue(this.hashMap, 0, {});
        }
      }
      /**
       * Increment a gauge value
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @param {Number} value - Value to increment - if omitted, increment with 1
       * @returns {void}
       */
      inc(labels, value) {
        value = getValueArg(labels, value);
        labels = getLabelArg(labels);
        if (value === void 0) value = 1;
        setDelta(this, labels, value);
      }
      /**
       * Decrement a gauge value
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @param {Number} value - Value to decrement - if omitted, decrement with 1
       * @returns {void}
       */
      dec(labels, value) {
        value = getValueArg(labels, value);
        labels = getLabelArg(labels);
        if (value === void 0) value = 1;
        setDelta(this, labels, -value);
      }
      /**
       * Set the gauge to current unix epoch
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @returns {void}
       */
      setToCurrentTime(labels) {
        const now = Date.now() / 1e3;
        if (labels === void 0) {
          this.set(now);
        } else {
          this.set(labels, now);
        }
      }
      /**
       * Start a timer
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @returns {function} - Invoke this function to set the duration in seconds since you started the timer.
       * @example
       * var done = gauge.startTimer();
       * makeXHRRequest(function(err, response) {
       *	done(); //Duration of the request will be saved
       * });
       */
      startTimer(labels) {
        const start = process.hrtime();
        return (endLabels) => {
          const delta = process.hrtime(start);
          const value = delta[0] + delta[1] / 1e9;
          this.set(Object.assign({}, labels, endLabels), value);
          return value;
        };
      }
      async get() {
        if (this.collect) {
          const v = this.collect();
          if (v instanceof Promise) await v;
        }
        return {
          help: this.help,
          name: this.name,
          type: this.type,
          values: Object.values(this.hashMap),
          aggregator: this.aggregator
        };
      }
      _getValue(labels) {
        const hash = hashObject(labels || {}, this.sortedLabelNames);
        return this.hashMap[hash] ? this.hashMap[hash].value : 0;
      }
      labels(...args) {
        const labels = getLabels(this.labelNames, args);
        validateLabel(this.labelNames, labels);
        return {
          inc: this.inc.bind(this, labels),
          dec: this.dec.bind(this, labels),
          set: this.set.bind(this, labels),
          setToCurrentTime: this.setToCurrentTime.bind(this, labels),
          startTimer: this.startTimer.bind(this, labels)
        };
      }
      remove(...args) {
        const labels = getLabels(this.labelNames, args);
        validateLabel(this.labelNames, labels);
        removeLabels.call(this, this.hashMap, labels, this.sortedLabelNames);
      }
    };
    function set(gauge, labels, value) {
      if (typeof value !== "number") {
        throw new TypeError(`Value is not a valid number: ${util.format(value)}`);
      }
      validateLabel(gauge.labelNames, labels);
      setValue(gauge.hashMap, value, labels);
    }
    function setDelta(gauge, labels, delta) {
      if (typeof delta !== "number") {
        throw new TypeError(`Delta is not a valid number: ${util.format(delta)}`);
      }
      validateLabel(gauge.labelNames, labels);
      const hash = hashObject(labels, gauge.sortedLabelNames);
      setValueDelta(gauge.hashMap, delta, labels, hash);
    }
    function getLabelArg(labels) {
      return isObject(labels) ? labels : {};
    }
    function getValueArg(labels, value) {
      return isObject(labels) ? value : labels;
    }
    module.exports = Gauge2;
  }
});

// node_modules/prom-client/lib/histogram.js
var require_histogram = __commonJS({
  "node_modules/prom-client/lib/histogram.js"(exports, module) {
    "use strict";
    var util = __require("util");
    var {
      getLabels,
      hashObject,
      isObject,
      removeLabels,
      nowTimestamp
    } = require_util();
    var { validateLabel } = require_validation();
    var { Metric } = require_metric();
    var Exemplar = require_exemplar();
    var Histogram2 = class extends Metric {
      constructor(config) {
        super(config, {
          buckets: [5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        });
        this.type = "histogram";
        this.defaultLabels = {};
        this.defaultExemplarLabelSet = {};
        this.enableExemplars = false;
        for (const label of this.labelNames) {
          if (label === "le") {
            throw new Error("le is a reserved label keyword");
          }
        }
        this.upperBounds = this.buckets;
        this.bucketValues = this.upperBounds.reduce((acc, upperBound) => {
          acc[upperBound] = 0;
          return acc;
        }, {});
        if (config.enableExemplars) {
          this.enableExemplars = true;
          this.bucketExemplars = this.upperBounds.reduce((acc, upperBound) => {
            acc[upperBound] = null;
            return acc;
          }, {});
          Object.freeze(this.bucketExemplars);
          this.observe = this.observeWithExemplar;
        } else {
          this.observe = this.observeWithoutExemplar;
        }
        Object.freeze(this.bucketValues);
        Object.freeze(this.upperBounds);
        if (this.labelNames.length === 0) {
          this.hashMap = {
            [hashObject({})]: createBaseValues(
              {},
              this.bucketValues,
              this.bucketExemplars
            )
          };
        }
      }
      /**
       * Observe a value in histogram
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @param {Number} value - Value to observe in the histogram
       * @returns {void}
       */
      observeWithoutExemplar(labels, value) {
        observe.call(this, labels === 0 ? 0 : labels || {})(value);
      }
      observeWithExemplar({
        labels = this.defaultLabels,
        value,
        exemplarLabels = this.defaultExemplarLabelSet
      } = {}) {
        observe.call(this, labels === 0 ? 0 : labels || {})(value);
        this.updateExemplar(labels, value, exemplarLabels);
      }
      updateExemplar(labels, value, exemplarLabels) {
        if (Object.keys(exemplarLabels).length === 0) return;
        const hash = hashObject(labels, this.sortedLabelNames);
        const bound = findBound(this.upperBounds, value);
        const { bucketExemplars } = this.hashMap[hash];
        let exemplar = bucketExemplars[bound];
        if (!isObject(exemplar)) {
          exemplar = new Exemplar();
          bucketExemplars[bound] = exemplar;
        }
        exemplar.validateExemplarLabelSet(exemplarLabels);
        exemplar.labelSet = exemplarLabels;
        exemplar.value = value;
        exemplar.timestamp = nowTimestamp();
      }
      async get() {
        const data = await this.getForPromString();
        data.values = data.values.map(splayLabels);
        return data;
      }
      async getForPromString() {
        if (this.collect) {
          const v = this.collect();
          if (v instanceof Promise) await v;
        }
        const data = Object.values(this.hashMap);
        const values = data.map(extractBucketValuesForExport(this)).reduce(addSumAndCountForExport(this), []);
        return {
          name: this.name,
          help: this.help,
          type: this.type,
          values,
          aggregator: this.aggregator
        };
      }
      reset() {
        this.hashMap = {};
      }
      /**
       * Initialize the metrics for the given combination of labels to zero
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @returns {void}
       */
      zero(labels) {
        const hash = hashObject(labels, this.sortedLabelNames);
        this.hashMap[hash] = createBaseValues(
          labels,
          this.bucketValues,
          this.bucketExemplars
        );
      }
      /**
       * Start a timer that could be used to logging durations
       * @param {object} labels - Object with labels where key is the label key and value is label value. Can only be one level deep
       * @param {object} exemplarLabels - Object with labels for exemplar where key is the label key and value is label value. Can only be one level deep
       * @returns {function} - Function to invoke when you want to stop the timer and observe the duration in seconds
       * @example
       * var end = histogram.startTimer();
       * makeExpensiveXHRRequest(function(err, res) {
       * 	const duration = end(); //Observe the duration of expensiveXHRRequest and returns duration in seconds
       * 	console.log('Duration', duration);
       * });
       */
      startTimer(labels, exemplarLabels) {
        return this.enableExemplars ? startTimerWithExemplar.call(this, labels, exemplarLabels)() : startTimer.call(this, labels)();
      }
      labels(...args) {
        const labels = getLabels(this.labelNames, args);
        validateLabel(this.labelNames, labels);
        return {
          observe: observe.call(this, labels),
          startTimer: startTimer.call(this, labels)
        };
      }
      remove(...args) {
        const labels = getLabels(this.labelNames, args);
        validateLabel(this.labelNames, labels);
        removeLabels.call(this, this.hashMap, labels, this.sortedLabelNames);
      }
    };
    function startTimer(startLabels) {
      return () => {
        const start = process.hrtime();
        return (endLabels) => {
          const delta = process.hrtime(start);
          const value = delta[0] + delta[1] / 1e9;
          this.observe(Object.assign({}, startLabels, endLabels), value);
          return value;
        };
      };
    }
    function startTimerWithExemplar(startLabels, startExemplarLabels) {
      return () => {
        const start = process.hrtime();
        return (endLabels, endExemplarLabels) => {
          const delta = process.hrtime(start);
          const value = delta[0] + delta[1] / 1e9;
          this.observe({
            labels: Object.assign({}, startLabels, endLabels),
            value,
            exemplarLabels: Object.assign(
              {},
              startExemplarLabels,
              endExemplarLabels
            )
          });
          return value;
        };
      };
    }
    function setValuePair(labels, value, metricName, exemplar, sharedLabels = {}) {
      return {
        labels,
        sharedLabels,
        value,
        metricName,
        exemplar
      };
    }
    function findBound(upperBounds, value) {
      for (let i = 0; i < upperBounds.length; i++) {
        const bound = upperBounds[i];
        if (value <= bound) {
          return bound;
        }
      }
      return -1;
    }
    function observe(labels) {
      return (value) => {
        const labelValuePair = convertLabelsAndValues(labels, value);
        validateLabel(this.labelNames, labelValuePair.labels);
        if (!Number.isFinite(labelValuePair.value)) {
          throw new TypeError(
            `Value is not a valid number: ${util.format(labelValuePair.value)}`
          );
        }
        const hash = hashObject(labelValuePair.labels, this.sortedLabelNames);
        let valueFromMap = this.hashMap[hash];
        if (!valueFromMap) {
          valueFromMap = createBaseValues(
            labelValuePair.labels,
            this.bucketValues,
            this.bucketExemplars
          );
        }
        const b = findBound(this.upperBounds, labelValuePair.value);
        valueFromMap.sum += labelValuePair.value;
        valueFromMap.count += 1;
        if (Object.prototype.hasOwnProperty.call(valueFromMap.bucketValues, b)) {
          valueFromMap.bucketValues[b] += 1;
        }
        this.hashMap[hash] = valueFromMap;
      };
    }
    function createBaseValues(labels, bucketValues, bucketExemplars) {
      const result = {
        labels,
        bucketValues: { ...bucketValues },
        sum: 0,
        count: 0
      };
      if (bucketExemplars) {
        result.bucketExemplars = { ...bucketExemplars };
      }
      return result;
    }
    function convertLabelsAndValues(labels, value) {
      return isObject(labels) ? {
        labels,
        value
      } : {
        value: labels,
        labels: {}
      };
    }
    function extractBucketValuesForExport(histogram) {
      const name = `${histogram.name}_bucket`;
      return (bucketData) => {
        let acc = 0;
        const buckets = histogram.upperBounds.map((upperBound) => {
          acc += bucketData.bucketValues[upperBound];
          return setValuePair(
            { le: upperBound },
            acc,
            name,
            bucketData.bucketExemplars ? bucketData.bucketExemplars[upperBound] : null,
            bucketData.labels
          );
        });
        return { buckets, data: bucketData };
      };
    }
    function addSumAndCountForExport(histogram) {
      return (acc, d) => {
        acc.push(...d.buckets);
        const infLabel = { le: "+Inf" };
        acc.push(
          setValuePair(
            infLabel,
            d.data.count,
            `${histogram.name}_bucket`,
            d.data.bucketExemplars ? d.data.bucketExemplars["-1"] : null,
            d.data.labels
          ),
          setValuePair(
            {},
            d.data.sum,
            `${histogram.name}_sum`,
            void 0,
            d.data.labels
          ),
          setValuePair(
            {},
            d.data.count,
            `${histogram.name}_count`,
            void 0,
            d.data.labels
          )
        );
        return acc;
      };
    }
    function splayLabels(bucket) {
      const { sharedLabels, labels, ...newBucket } = bucket;
      for (const label of Object.keys(sharedLabels)) {
        labels[label] = sharedLabels[label];
      }
      newBucket.labels = labels;
      return newBucket;
    }
    module.exports = Histogram2;
  }
});

// agent/schedule.ts
var MIN_RETRY_MS = 5e3;
function nextDelay(intervalMs, failures, random = Math.random) {
  const base = failures === 0 ? intervalMs : Math.min(intervalMs, MIN_RETRY_MS * 2 ** (failures - 1));
  return Math.round(base * (0.9 + 0.2 * random()));
}
var UnitSchedule = class {
  states;
  constructor(units) {
    this.states = units.map((unit) => ({ unit, due: 0, failures: 0, ok: void 0 }));
  }
  /** Units the agent leaves alone until resumed (`tether suspend`). */
  suspended = /* @__PURE__ */ new Set();
  due(now) {
    return this.runnable().filter((s) => s.due <= now);
  }
  /** Every unit that is not suspended: what a pass for the Flux Kustomizations runs. */
  runnable() {
    return this.states.filter((s) => !this.suspended.has(s.unit.name));
  }
  /** Units that ended ok in an earlier pass and are not running in this one. */
  healthyBesides(running) {
    return new Set(this.states.filter((s) => s.ok && !running.includes(s)).map((s) => s.unit.name));
  }
  /** These units (default: every unit) run now, whatever their interval. */
  request(names, now = Date.now()) {
    for (const state of this.states) {
      if (names && !names.includes(state.unit.name)) continue;
      state.requestedAt = now;
      state.due = Math.min(state.due, now);
    }
  }
  /**
   * `startedAt` is when the recorded pass began: a request that arrived while it ran may
   * name a newer commit than the one it fetched, so the unit runs again at once.
   */
  record(state, ok, error, now = Date.now(), startedAt = now) {
    state.failures = ok ? 0 : state.failures + 1;
    state.ok = ok;
    state.lastError = ok ? void 0 : error;
    state.due = now + nextDelay(state.unit.intervalMs, state.failures);
    if (state.requestedAt !== void 0 && state.requestedAt > startedAt) state.due = now;
    else state.requestedAt = void 0;
  }
  nextDue() {
    return Math.min(...this.runnable().map((s) => s.due));
  }
};

// agent/automation/schedule.ts
var ImageSchedule = class {
  next = 0;
  failures = 0;
  createdCache = new CreatedCache();
  tagTimes = /* @__PURE__ */ new Map();
  state;
  config;
  options;
  client;
  metrics;
  log;
  constructor(config, options, client, metrics, log) {
    this.config = config;
    this.options = options;
    this.client = client;
    this.metrics = metrics;
    this.log = log;
  }
  get nextRun() {
    return this.next;
  }
  /** One run; errors are logged and retried with backoff, never thrown. */
  async run(onError) {
    try {
      const { runAutomation } = await import("./automation-PHE3M7MH.js");
      const { resolvePullRequest } = await import("./pull-request-REK2FKLV.js");
      const pullRequest = this.options.pullRequest ? await resolvePullRequest(this.options.pullRequest, this.client) : void 0;
      const result = await runAutomation({
        pullRequest,
        spec: gitSpecOf(this.config),
        branch: this.config.git.branch,
        path: this.options.path,
        push: true,
        author: this.options.author ?? {},
        insecureRegistries: this.options.insecureRegistries,
        kube: { client: this.client, namespace: this.config.namespace },
        createdCache: this.createdCache,
        tagTimes: this.tagTimes
      });
      this.state = imageStatus(result, this.state);
      const failed = result.runs.filter((r) => r.error);
      this.metrics.recordImages(this.state);
      this.metrics.recordImageRun(failed.length === 0 && !this.state.policies.some((p) => p.error));
      await writeImageStatus(this.client, this.config.namespace, this.state).catch(
        (error) => this.log(`images: could not record status: ${error.message}`)
      );
      for (const r of result.runs) this.logRun(r, result.runs.length > 1);
      if (result.skippedByLease) this.log("images: another agent holds the writer Lease; skipped");
      this.failures = failed.length > 0 ? this.failures + 1 : 0;
    } catch (error) {
      this.failures++;
      this.metrics.recordImageRun(false);
      onError(error, "images");
      this.log(`images: error: ${messageOf(error)}`);
    }
    this.next = Date.now() + nextDelay(this.options.intervalMs, this.failures);
  }
  /** Log lines of one run; with several, each names its automation. */
  logRun(r, many) {
    const log = (line) => this.log(`images: ${many && r.automation ? `${r.automation}: ` : ""}${line}`);
    if (r.skipped) {
      this.log(`images: ${r.skipped}`);
      return;
    }
    for (const note of r.notes) log(note);
    if (r.error) {
      log(`error: ${r.error}`);
      return;
    }
    for (const c of r.plan?.changes ?? []) log(`${c.file}: ${c.old} -> ${c.new}`);
    for (const p of r.outcome?.policies ?? []) if (p.error) log(`error: ${p.error}`);
    if (r.pushed)
      log(
        `pushed ${r.commit?.slice(0, 12)} to ${r.branch ?? "?"}${r.refspec ? ` and with refspec ${r.refspec}` : ""}`
      );
    if (r.othersCommits)
      log(`${r.branch} has ${r.othersCommits} commit(s) by others; built on top`);
    const pr = r.pullRequest;
    if (pr && pr.action !== "none" && pr.action !== "unchanged")
      log(`pull request #${pr.number} ${pr.action}`);
  }
};

// agent/probes.ts
var MIN_LIVENESS_WINDOW_MS = 6e4;
function livenessWindow(intervalsMs, timeoutsMs) {
  return Math.max(
    MIN_LIVENESS_WINDOW_MS,
    3 * Math.max(...intervalsMs) + Math.max(0, ...timeoutsMs)
  );
}
function liveness(now, started, lastPassStart, windowMs) {
  const since = now - (lastPassStart ?? started);
  if (since > windowMs) {
    return {
      ok: false,
      body: `no pass started for ${Math.round(since / 1e3)}s (limit ${Math.round(windowMs / 1e3)}s)
`
    };
  }
  return { ok: true, body: "ok\n" };
}
function readiness(now, units, source) {
  const problems = [];
  for (const u of units) {
    if (u.ok === void 0) problems.push(`${u.name}: first pass not done`);
    else if (!u.ok) problems.push(`${u.name}: last pass failed: ${u.lastError ?? "?"}`);
  }
  if (source.lastFetch !== void 0 && now - source.lastFetch > source.staleAfterMs) {
    problems.push(
      `source stale: Git not reached for ${Math.round((now - source.lastFetch) / 1e3)}s (limit ${Math.round(source.staleAfterMs / 1e3)}s)`
    );
  }
  if (problems.length > 0) return { ok: false, body: `${problems.join("\n").slice(0, 4e3)}
` };
  return { ok: true, body: "ok\n" };
}

// agent/receiver.ts
const { createHmac, timingSafeEqual } = require("node:crypto");

// agent/server.ts
var { createServer } = process.getBuiltinModule("node:http");
function serve(port, bind, routes) {
  const server = createServer({ connectionsCheckingInterval: 1e3 }, async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
      res.end("method not allowed\n");
      return;
    }
    const route = routes[(req.url ?? "/").split("?")[0] ?? "/"];
    let answer2;
    try {
      answer2 = route ? await route() : { status: 404, body: "not found\n" };
    } catch (error) {
      answer2 = { status: 500, body: `${error instanceof Error ? error.message : error}
` };
    }
    res.writeHead(answer2.status, { "content-type": answer2.type ?? "text/plain" });
    res.end(answer2.body);
  });
  server.keepAliveTimeout = 1e3;
  server.headersTimeout = 5e3;
  server.requestTimeout = 1e4;
  return listen(server, port, bind);
}
function listen(server, port, bind, onError = () => void 0) {
  return new Promise((resolve, reject) => {
    const attempt = (host) => {
      const failed = (error) => {
        server.off("listening", listening);
        const noIpv6 = error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL";
        if (host === "::" && noIpv6) attempt("0.0.0.0");
        else reject(error);
      };
      const listening = () => {
        server.off("error", failed);
        server.on("error", onError);
        resolve(server);
      };
      server.once("error", failed);
      server.once("listening", listening);
      server.listen(port, host);
    };
    attempt(bind);
  });
}
function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// agent/receiver.ts
var { createServer: createServer2 } = process.getBuiltinModule("node:http");
var MAX_HOOK_BODY = 1024 * 1024;
function sameSecret(given, expected) {
  const a = createHmac("sha256", "tether-receiver").update(given).digest();
  const b = createHmac("sha256", "tether-receiver").update(expected).digest();
  return timingSafeEqual(a, b);
}
function hmacHex(body, secret) {
  return createHmac("sha256", secret).update(body).digest("hex");
}
function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function authenticate(headers, body, secret) {
  const github = header(headers, "x-hub-signature-256");
  if (github !== void 0)
    return { provider: "github", ok: sameSecret(github, `sha256=${hmacHex(body, secret)}`) };
  const gitea = header(headers, "x-gitea-signature") ?? header(headers, "x-forgejo-signature");
  if (gitea !== void 0)
    return { provider: "gitea", ok: sameSecret(gitea, hmacHex(body, secret)) };
  const gitlab = header(headers, "x-gitlab-token");
  if (gitlab !== void 0) return { provider: "gitlab", ok: sameSecret(gitlab, secret) };
  const generic = header(headers, "x-signature");
  if (generic !== void 0)
    return { provider: "generic", ok: sameSecret(generic, `sha256=${hmacHex(body, secret)}`) };
  return void 0;
}
function eventOf(provider, headers) {
  if (provider === "github") return header(headers, "x-github-event") ?? "";
  if (provider === "gitea")
    return header(headers, "x-gitea-event") ?? header(headers, "x-forgejo-event") ?? "";
  if (provider === "gitlab") {
    const event = header(headers, "x-gitlab-event") ?? "";
    return event === "Push Hook" ? "push" : event === "Tag Push Hook" ? "push" : event;
  }
  return "push";
}
function pushedRef(body, contentType) {
  let text = body.toString("utf8");
  if (contentType?.startsWith("application/x-www-form-urlencoded") && !text.trimStart().startsWith("{"))
    text = new URLSearchParams(text).get("payload") ?? "";
  const payload = JSON.parse(text);
  return typeof payload.ref === "string" ? payload.ref : void 0;
}
function refMatches(ref, watched) {
  if (ref === void 0) return false;
  if (watched.tag !== void 0) return ref === `refs/tags/${watched.tag}`;
  return ref === `refs/heads/${watched.branch ?? "main"}`;
}
function judgeHook(headers, body, secret, watched) {
  const auth = authenticate(headers, body, secret);
  if (!auth)
    return {
      status: 401,
      message: "no signature (X-Hub-Signature-256, X-Gitlab-Token, X-Gitea-Signature or X-Signature)",
      trigger: false
    };
  if (!auth.ok)
    return {
      status: 401,
      message: "signature does not match",
      trigger: false,
      provider: auth.provider
    };
  const event = eventOf(auth.provider, headers);
  const provider = auth.provider;
  if (event === "ping") return { status: 200, message: "pong", trigger: false, provider };
  if (event !== "push")
    return {
      status: 202,
      message: `ignored: ${event || "unnamed"} event`,
      trigger: false,
      provider
    };
  if (provider === "generic")
    return { status: 202, message: "pass requested", trigger: true, provider };
  let ref;
  try {
    ref = pushedRef(body, header(headers, "content-type"));
  } catch {
    return { status: 400, message: "the body is not a push payload", trigger: false, provider };
  }
  if (!refMatches(ref, watched))
    return {
      status: 202,
      message: `ignored: push to ${ref ?? "no ref"}`,
      trigger: false,
      provider
    };
  return { status: 202, message: `pass requested for ${ref}`, trigger: true, provider };
}
var FLUX_RECEIVER_TYPES = [
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "bitbucket",
  "harbor"
];
function prefixedHmacMatches(given, body, key) {
  if (given === void 0) return false;
  const [algorithm = "", hex = ""] = given.split("=", 2);
  if (!["sha1", "sha256", "sha512"].includes(algorithm)) return false;
  return sameSecret(hex, createHmac(algorithm, key).update(body).digest("hex"));
}
function judgeFluxHook(receiver, headers, body) {
  const type = receiver.type;
  const unauthorized = (provider2) => ({
    status: 401,
    message: "signature does not match",
    trigger: false,
    provider: provider2
  });
  let provider;
  let event = "";
  switch (type) {
    case "generic":
      provider = "generic";
      break;
    case "generic-hmac":
      provider = "generic-hmac";
      if (!prefixedHmacMatches(header(headers, "x-signature"), body, receiver.token))
        return unauthorized(provider);
      break;
    case "github":
      provider = "github";
      if (!prefixedHmacMatches(
        header(headers, "x-hub-signature-256") ?? header(headers, "x-hub-signature"),
        body,
        receiver.token
      ))
        return unauthorized(provider);
      event = header(headers, "x-github-event") ?? "";
      if (event === "ping") return { status: 200, message: "pong", trigger: false, provider };
      break;
    case "gitlab":
      provider = "gitlab";
      if (!sameSecret(header(headers, "x-gitlab-token") ?? "", receiver.token))
        return unauthorized(provider);
      event = header(headers, "x-gitlab-event") ?? "";
      break;
    case "bitbucket":
      provider = "bitbucket";
      if (!prefixedHmacMatches(header(headers, "x-hub-signature"), body, receiver.token))
        return unauthorized(provider);
      event = header(headers, "x-event-key") ?? "";
      if (event === "diagnostics:ping")
        return { status: 200, message: "pong", trigger: false, provider };
      break;
    case "harbor":
      provider = "harbor";
      if (!sameSecret(header(headers, "authorization") ?? "", receiver.token))
        return unauthorized(provider);
      break;
    default:
      return { status: 400, message: `receiver type ${type} is not served`, trigger: false };
  }
  if (event && receiver.events.length > 0 && !receiver.events.some((e) => e.toLowerCase() === event.toLowerCase()))
    return { status: 202, message: `ignored: ${event} event`, trigger: false, provider };
  return {
    status: 202,
    message: `reconcile requested by receiver ${receiver.key}`,
    trigger: true,
    provider
  };
}
function serveReceiver(options) {
  const server = createServer2({ connectionsCheckingInterval: 1e3 }, (req, res) => {
    const reply = (status, message) => {
      res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(`${message}
`);
    };
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const flux = path.startsWith("/hook/") ? options.fluxReceiver?.(path) : void 0;
    if (!flux && (path !== "/hook" || !options.secret)) return reply(404, "not found");
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(405, "method not allowed");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_HOOK_BODY) return reply(413, "body too large");
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_HOOK_BODY) {
        reply(413, "body too large");
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_HOOK_BODY) return;
      const body = Buffer.concat(chunks);
      const verdict = flux ? judgeFluxHook(flux, req.headers, body) : judgeHook(req.headers, body, options.secret, options.watched);
      const from = verdict.provider ? ` (${verdict.provider})` : "";
      options.log(`receiver: ${verdict.status} ${verdict.message}${from}`);
      reply(verdict.status, verdict.message);
      if (!verdict.trigger) return;
      if (flux) options.onFluxTrigger?.(flux);
      else options.onTrigger(verdict);
    });
  });
  server.headersTimeout = 5e3;
  server.requestTimeout = 1e4;
  server.keepAliveTimeout = 1e3;
  return listen(
    server,
    options.port,
    options.bind,
    (error) => options.log(`receiver: ${error.message}`)
  );
}

// agent/endpoints.ts
var answer = (probe) => ({ status: probe.ok ? 200 : 503, body: probe.body });
async function serveEndpoints(agent, options) {
  const { config, schedule, metrics, times } = agent;
  const windowMs = livenessWindow(
    config.units.map((u) => u.intervalMs),
    config.units.map((u) => u.wait ? u.timeoutMs : 0)
  );
  const server = await serve(options.port, options.bind, {
    "/healthz": () => answer(liveness(Date.now(), times.started, times.lastPassStart, windowMs)),
    "/readyz": () => answer(
      readiness(
        Date.now(),
        schedule.states.map((s) => ({ name: s.unit.name, ok: s.ok, lastError: s.lastError })),
        {
          // Before Git first answered, staleness counts from the agent's start.
          lastFetch: times.lastFetch ?? times.started,
          staleAfterMs: options.staleAfterMs
        }
      )
    ),
    "/metrics": async () => ({
      status: 200,
      body: await metrics.render(),
      type: metrics.contentType
    })
  });
  const receiver = options.receiver ? await serveReceiver({
    port: options.receiver.port,
    bind: options.bind,
    secret: options.receiver.secret,
    watched: { branch: config.git.branch, tag: config.git.tag },
    log: agent.log,
    onTrigger: options.onTrigger,
    fluxReceiver: options.fluxReceiver,
    onFluxTrigger: options.onFluxTrigger
  }) : void 0;
  return {
    async close() {
      await closeServer(server);
      if (receiver) await closeServer(receiver);
    }
  };
}

// agent/flux/notification.ts
const { createHash } = require("node:crypto");
var RECEIVER_API = `${NOTIFICATION_GROUP}/v1`;
var PROVIDER_API = `${NOTIFICATION_GROUP}/v1beta3`;
var ALERT_API = `${NOTIFICATION_GROUP}/v1beta3`;
var NOTIFICATION_REFRESH_MS = 10 * 6e4;
function webhookPath(token, name, namespace) {
  return `/hook/${createHash("sha256").update(token + name + namespace).digest("hex")}`;
}
var DEFAULT_API = {
  GitRepository: `${SOURCE_GROUP}/v1`,
  OCIRepository: `${SOURCE_GROUP}/v1`,
  HelmRepository: `${SOURCE_GROUP}/v1`,
  HelmChart: `${SOURCE_GROUP}/v1`,
  Bucket: `${SOURCE_GROUP}/v1`,
  Kustomization: `${KUSTOMIZE_GROUP}/v1`,
  HelmRelease: `${HELM_GROUP}/v2`,
  ImageRepository: "image.toolkit.fluxcd.io/v1"
};
var PROVIDER_TYPES = {
  generic: "webhook",
  "generic-hmac": "webhook",
  slack: "slack",
  discord: "discord",
  msteams: "msteams",
  github: "github"
};
var keyOf = (o) => `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
function decoded(secret) {
  if (!secret) return void 0;
  const data = secret.data ?? {};
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])
  );
}
function receiverOf(object, secret, served) {
  const spec = object.spec ?? {};
  const namespace = object.metadata.namespace ?? "default";
  const type = spec.type ?? "";
  if (spec.suspend) return { problem: "suspended" };
  if (!FLUX_RECEIVER_TYPES.includes(type))
    return {
      problem: `receiver type ${type || "(none)"} is not served by Tether (served: ${FLUX_RECEIVER_TYPES.join(", ")})`
    };
  if (!served)
    return {
      problem: "the agent serves Receivers on its receiver port: start it with --receiver-port"
    };
  const secretName = spec.secretRef?.name;
  if (!secretName) return { problem: "spec.secretRef.name is required" };
  if (!secret) return { problem: `Secret ${namespace}/${secretName} not found` };
  const token = secret.token ?? "";
  if (!token) return { problem: `Secret ${namespace}/${secretName} has no 'token' key` };
  return {
    receiver: {
      key: keyOf(object),
      type,
      events: spec.events ?? [],
      token,
      path: webhookPath(token, object.metadata.name, namespace),
      resources: (spec.resources ?? []).filter(
        (r) => Boolean(r.kind && r.name)
      ).map((r) => ({
        apiVersion: r.apiVersion,
        kind: r.kind,
        name: r.name,
        namespace: r.namespace ?? namespace,
        matchLabels: r.matchLabels
      }))
    }
  };
}
function githubApi(address) {
  const url = new URL(address);
  return url.host === "github.com" ? "https://api.github.com" : `${url.origin}/api/v3`;
}
function targetOf(alert, provider, secret) {
  const spec = alert.spec ?? {};
  const namespace = alert.metadata.namespace ?? "default";
  if (spec.suspend) return { problem: "suspended" };
  if (!provider) return { problem: `Provider ${namespace}/${spec.providerRef?.name} not found` };
  const p = provider.spec ?? {};
  if (p.suspend) return { problem: `Provider ${keyOf(provider)} is suspended` };
  const type = PROVIDER_TYPES[p.type ?? ""];
  if (!type)
    return {
      problem: `provider type ${p.type} is not served by Tether (served: ${Object.keys(PROVIDER_TYPES).join(", ")})`
    };
  if (p.secretRef?.name && !secret)
    return { problem: `Secret ${namespace}/${p.secretRef.name} not found` };
  const address = secret?.address ?? p.address ?? "";
  let url;
  let repository;
  try {
    if (type === "github") {
      url = githubApi(address);
      repository = repositoryOf(address);
    } else url = new URL(address).toString();
  } catch {
    return { problem: `Provider ${keyOf(provider)}: address is not a URL` };
  }
  const token = secret?.token;
  if ((type === "github" || p.type === "generic-hmac") && !token)
    return { problem: `Provider ${keyOf(provider)}: its Secret needs a 'token' key` };
  const severity = spec.eventSeverity === "error" ? "error" : "info";
  return {
    target: {
      type,
      url,
      severity,
      events: [],
      secret: type === "github" || p.type === "generic-hmac" ? token : void 0,
      repository,
      flux: {
        alert: keyOf(alert),
        sources: (spec.eventSources ?? []).filter((s) => s.kind && s.name).map((s) => ({
          kind: s.kind,
          name: s.name,
          namespace: s.namespace ?? namespace
        })),
        inclusionList: spec.inclusionList ?? [],
        exclusionList: spec.exclusionList ?? [],
        channel: p.channel,
        username: p.username,
        summary: spec.summary
      }
    }
  };
}
async function listAll(client, apiVersion, kind) {
  try {
    return await client.list(apiVersion, kind);
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return [];
    throw error;
  }
}
async function secretOf(client, namespace, name) {
  if (!name) return void 0;
  return decoded(await client.get({ apiVersion: "v1", kind: "Secret", namespace, name }));
}
async function readNotifications(client, options) {
  const receivers = [];
  for (const object of await listAll(client, RECEIVER_API, "Receiver")) {
    const ns = object.metadata.namespace ?? "default";
    const secretName = object.spec?.secretRef?.name;
    const verdict = receiverOf(
      object,
      await secretOf(client, ns, secretName),
      options.receiverServed
    );
    if (verdict.receiver) receivers.push(verdict.receiver);
    await writeReceiverStatus(client, object, verdict, options.note);
  }
  const targets = [];
  const alerts = await listAll(client, ALERT_API, "Alert");
  if (alerts.length > 0) {
    const providers = new Map(
      (await listAll(client, PROVIDER_API, "Provider")).map((p) => [keyOf(p), p])
    );
    for (const alert of alerts) {
      const ns = alert.metadata.namespace ?? "default";
      const ref = alert.spec?.providerRef;
      const provider = providers.get(`${ns}/${ref?.name}`);
      const secretName = provider?.spec?.secretRef?.name;
      const verdict = targetOf(alert, provider, await secretOf(client, ns, secretName));
      if (verdict.target) targets.push(verdict.target);
      else if (verdict.problem !== "suspended")
        options.note(`alert ${keyOf(alert)}: not sending: ${verdict.problem}`);
    }
  }
  return { receivers, targets };
}
async function writeReceiverStatus(client, object, verdict, note) {
  const message = verdict.receiver ? `Receiver initialized for path: ${verdict.receiver.path}` : verdict.problem ?? "";
  const ready = readyCondition(object);
  const old = object.status ?? {};
  if (ready?.message === message && ready.status === (verdict.receiver ? "True" : "False") && old.observedGeneration === object.metadata.generation)
    return;
  if (!verdict.receiver) note(`receiver ${keyOf(object)}: not served: ${message}`);
  const status = verdict.receiver ? statusFor(object, { kind: "ready", message }, void 0) : statusFor(
    object,
    { kind: "failed", reason: "ReconciliationFailed", message, stalled: true },
    void 0
  );
  if (verdict.receiver) status.webhookPath = verdict.receiver.path;
  else delete status.webhookPath;
  try {
    await writeStatus(client, object, status);
  } catch (error) {
    note(`receiver ${keyOf(object)}: status not written: ${error.message}`);
  }
}
async function requestResources(client, receiver, note) {
  const token = (/* @__PURE__ */ new Date()).toISOString();
  for (const resource of receiver.resources) {
    const apiVersion = resource.apiVersion ?? DEFAULT_API[resource.kind];
    if (!apiVersion) {
      note(`receiver ${receiver.key}: unknown kind ${resource.kind}`);
      continue;
    }
    try {
      const names = resource.name === "*" ? (await client.list(apiVersion, resource.kind, {
        namespace: resource.namespace,
        labelSelector: Object.entries(resource.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",")
      })).map((o) => o.metadata.name) : [resource.name];
      for (const name of names)
        await client.request({
          method: "PATCH",
          path: await client.pathOf({
            apiVersion,
            kind: resource.kind,
            namespace: resource.namespace,
            name
          }),
          body: reconcilePatch(token),
          contentType: "application/merge-patch+json"
        });
    } catch (error) {
      note(
        `receiver ${receiver.key}: ${resource.kind} ${resource.namespace}/${resource.name}: ${error.message}`
      );
    }
  }
}
var NotificationObjects = class {
  byPath = /* @__PURE__ */ new Map();
  readAt = 0;
  revision;
  client;
  options;
  constructor(client, options) {
    this.client = client;
    this.options = options;
  }
  receiverAt(path) {
    return this.byPath.get(path);
  }
  async refresh(revision, now = Date.now()) {
    if (revision === this.revision && now - this.readAt < NOTIFICATION_REFRESH_MS) return;
    this.readAt = now;
    this.revision = revision;
    try {
      const read = await readNotifications(this.client, this.options);
      await compileAlertFilters(read.targets);
      this.byPath = new Map(read.receivers.map((r) => [r.path, r]));
      this.options.onTargets(read.targets);
      this.lastProblem = void 0;
    } catch (error) {
      const message = messageOf(error);
      if (message !== this.lastProblem)
        this.options.note(`Flux notification objects not read: ${message}`);
      this.lastProblem = message;
    }
  }
  lastProblem;
};

// agent/flux/schedule.ts
var REQUEUE_DEPENDENCY_MS = 3e4;
var DEFAULT_FLUX_POLL_MS = 5e3;
var DEFAULT_INTERVAL_MS = 6e5;
function dueReason(ks, entry, now, sourceRevision) {
  if (!entry) return "first reconcile";
  const status = ks.status ?? {};
  const generation = ks.metadata.generation;
  if (generation !== entry.generation || generation !== status.observedGeneration)
    return "spec changed";
  const requestedAt = ks.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  if (requestedAt && requestedAt !== entry.requestedAt) return "reconcile requested";
  if (sourceRevision && sourceRevision !== status.lastAttemptedRevision) return "new revision";
  return now >= entry.next ? "interval" : void 0;
}
function nextDelayFor(ks, outcome, helmIntervalMs) {
  const spec = ks.spec ?? {};
  const interval = parseFluxDuration(spec.interval, DEFAULT_INTERVAL_MS);
  if (outcome === "suspended") return interval;
  const helm = Math.max(helmIntervalMs ?? interval, DEFAULT_FLUX_POLL_MS);
  if (outcome === "ready") return Math.min(interval, helm);
  const retry = parseFluxDuration(spec.retryInterval, interval);
  return outcome === "dependency" ? Math.min(retry, REQUEUE_DEPENDENCY_MS) : retry;
}
function helmReleaseOwners(kustomizations) {
  const owners = /* @__PURE__ */ new Map();
  for (const ks of kustomizations)
    for (const entry of inventoryOf(ks)) {
      const [namespace = "", name = "", group = "", kind = ""] = entry.id.split("_");
      if (group === HELM_GROUP && kind === "HelmRelease")
        owners.set(`${namespace}/${name}`, nsName(ks));
    }
  return owners;
}
var FluxSchedule = class {
  entries = /* @__PURE__ */ new Map();
  /** Each HelmRelease's requestedAt when the poll last saw it. */
  helmRequests = /* @__PURE__ */ new Map();
  /** Kinds whose cluster-wide list was refused: listed per namespace instead. */
  namespaced = /* @__PURE__ */ new Set();
  /** Whether HelmReleases were listed whole once (the first poll compares with status). */
  helmPolled = false;
  /** Kustomizations due because a HelmRelease they applied was asked for. */
  askedByRelease = /* @__PURE__ */ new Set();
  nextPoll = 0;
  requested = false;
  pollMs;
  constructor(pollMs = DEFAULT_FLUX_POLL_MS) {
    this.pollMs = pollMs;
  }
  /** Whether the agent has Flux Kustomizations to keep on schedule. */
  get active() {
    return this.entries.size > 0;
  }
  due(ks, now, sourceRevision) {
    const reason = dueReason(ks, this.entries.get(nsName(ks)), now, sourceRevision);
    if (reason) return reason;
    return this.askedByRelease.has(nsName(ks)) ? "a HelmRelease it applied was asked for" : void 0;
  }
  record(ks, outcome, now = Date.now(), helmIntervalMs) {
    this.askedByRelease.delete(nsName(ks));
    this.entries.set(nsName(ks), {
      next: now + nextDelayFor(ks, outcome, helmIntervalMs),
      generation: ks.metadata.generation,
      requestedAt: ks.metadata.annotations?.[REQUESTED_AT_ANNOTATION],
      suspended: outcome === "suspended"
    });
  }
  /**
   * Forgets every Kustomization but `keys` (namespace/name), after a pass that walked all
   * a pass can reach: one seen again later is reconciled as a first time.
   */
  keepOnly(keys) {
    for (const key of this.entries.keys()) if (!keys.has(key)) this.entries.delete(key);
  }
  /** When each Kustomization that is not suspended is due next. */
  dueTimes() {
    return [...this.entries.values()].filter((e) => !e.suspended).map((e) => e.next);
  }
  /** When the next Kustomization is due, or the next poll (whichever is first). */
  nextWake() {
    if (!this.active) return Number.POSITIVE_INFINITY;
    return Math.min(this.nextPoll, ...this.dueTimes());
  }
  /**
   * Whether a pass is needed now: a Kustomization's time came, or (polled at most every
   * pollMs) one has an unhandled requestedAt or an edited spec.
   */
  async needsPass(client, now = Date.now()) {
    if (!this.active) return false;
    if (this.requested || this.dueTimes().some((next) => now >= next)) return true;
    if (now < this.nextPoll) return false;
    this.nextPoll = now + this.pollMs;
    const namespaces = new Set([...this.entries.keys()].map((key) => key.split("/")[0] ?? ""));
    const live = await this.list(client, KUSTOMIZATION_API, "Kustomization", namespaces).catch(
      () => []
    );
    this.requested = live.some((ks) => {
      const entry = this.entries.get(nsName(ks));
      if (!entry || ks.spec?.suspend) return false;
      const reason = dueReason(ks, entry, now);
      return reason === "spec changed" || reason === "reconcile requested";
    });
    if (await this.pollHelmReleases(client, live)) this.requested = true;
    return this.requested;
  }
  /**
   * Whether a HelmRelease's requestedAt is not handled yet; its Kustomization is then due
   * (unless suspended: its pass would not reach the HelmRelease). Between polls a change
   * of the annotation is the request; a HelmRelease not seen before (the first poll
   * after start, or a new one) is compared with its status' lastHandledReconcileAt, as
   * helm-controller does: the first poll lists whole objects, later ones metadata only.
   */
  async pollHelmReleases(client, live) {
    const owners = helmReleaseOwners(live);
    if (owners.size === 0) return false;
    const first = !this.helmPolled;
    const namespaces = new Set([...owners.keys()].map((key) => key.split("/")[0] ?? ""));
    const releases = await this.list(
      client,
      `${HELM_GROUP}/v2`,
      "HelmRelease",
      namespaces,
      first ? {} : { metadataOnly: true }
    ).catch(() => void 0);
    if (!releases) return false;
    this.helmPolled = true;
    const handledOf = (o) => o?.status?.lastHandledReconcileAt;
    let asked = false;
    const previous = this.helmRequests;
    this.helmRequests = /* @__PURE__ */ new Map();
    for (const release of releases) {
      const key = nsName(release);
      const token = release.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
      this.helmRequests.set(key, token);
      const owner = owners.get(key);
      const entry = owner ? this.entries.get(owner) : void 0;
      if (token === void 0 || !owner || !entry || entry.suspended) continue;
      const handled = previous.has(key) ? previous.get(key) : first ? handledOf(release) : handledOf(await client.get(refOf(release)).catch(() => void 0));
      if (token === handled) continue;
      this.askedByRelease.add(owner);
      asked = true;
    }
    return asked;
  }
  /**
   * One cluster-wide list of `kind`, or one per namespace once the cluster-wide one was
   * refused: what the namespaces that answer hold (one that refuses does not hide the
   * others).
   */
  async list(client, apiVersion, kind, namespaces, options = {}) {
    if (!this.namespaced.has(kind)) {
      try {
        return await client.list(apiVersion, kind, options);
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 403)) throw error;
        this.namespaced.add(kind);
      }
    }
    const lists = await Promise.allSettled(
      [...namespaces].map((namespace) => client.list(apiVersion, kind, { ...options, namespace }))
    );
    return lists.flatMap((list) => list.status === "fulfilled" ? list.value : []);
  }
  /** A pass started: what the poll found is being handled. */
  passStarted() {
    this.requested = false;
  }
};

// agent/metrics.ts
var import_counter = __toESM(require_counter(), 1);
var import_gauge = __toESM(require_gauge(), 1);
var import_histogram = __toESM(require_histogram(), 1);
var import_registry = __toESM(require_registry(), 1);

// agent/resources.ts
var READY_STATUSES = ["True", "False", "Unknown", "Deleted"];
var UNIT_GROUP = "tether.dev";
var UNIT_KIND = "Unit";
var resourceKey = (s) => `${s.kind}/${s.namespace}/${s.name}`;
function unitResource(name, namespace) {
  return { group: UNIT_GROUP, kind: UNIT_KIND, namespace, name, ready: "Unknown" };
}
var FLUX_KINDS = {
  Kustomization: "kustomize.toolkit.fluxcd.io",
  HelmRelease: "helm.toolkit.fluxcd.io",
  GitRepository: "source.toolkit.fluxcd.io"
};
var versionOf = (apiVersion) => apiVersion.split("/").pop();
function isFluxKind(ref) {
  return FLUX_KINDS[ref.kind] === groupOf(ref.apiVersion);
}
function readyOf(object, fallback) {
  const conditions = object.status?.conditions;
  const status = conditions?.find((c) => c.type === "Ready")?.status;
  return status === "True" || status === "False" || status === "Unknown" ? status : fallback ? "True" : "False";
}
function changedFluxObjects(changes) {
  const states = [];
  for (const c of changes) {
    if (!isFluxKind(c.ref)) continue;
    const base = {
      group: groupOf(c.ref.apiVersion),
      version: versionOf(c.ref.apiVersion),
      kind: c.ref.kind,
      namespace: c.ref.namespace ?? "default",
      name: c.ref.name
    };
    if (c.action === "pruned" || c.action === "gone") states.push({ ...base, ready: "Deleted" });
    else if (c.ref.kind === "HelmRelease" && (c.action === "ready" || c.action === "not-ready")) {
      const detail = c.detail ?? "";
      if (detail.startsWith("helm uninstalled")) states.push({ ...base, ready: "Deleted" });
      else
        states.push({
          ...base,
          ready: c.action === "ready" ? "True" : "False",
          suspended: detail.startsWith("helm suspended")
        });
    }
  }
  return states;
}
function kustomizationState(report) {
  const o = report.object;
  const spec = o.spec;
  const status = o.status;
  return {
    group: groupOf(o.apiVersion),
    version: versionOf(o.apiVersion),
    kind: o.kind,
    namespace: o.metadata.namespace ?? "default",
    name: o.metadata.name,
    ready: readyOf(o, report.ready),
    suspended: report.suspended,
    revision: status?.lastAppliedRevision,
    labels: spec?.sourceRef?.name ? { source_name: spec.sourceRef.name } : void 0,
    seconds: report.seconds
  };
}
function sourceState(source) {
  return {
    group: groupOf(source.apiVersion),
    version: versionOf(source.apiVersion),
    kind: source.kind,
    namespace: source.namespace,
    name: source.name,
    ready: source.ready ? "True" : "False",
    suspended: source.suspended,
    revision: source.revision,
    labels: source.url ? { url: source.url } : void 0
  };
}
function passResources(pass, namespace) {
  const states = [];
  for (const r of pass.reports) {
    states.push({
      ...unitResource(r.unit, namespace),
      ready: r.ok ? "True" : "False",
      revision: r.status.lastAppliedRevision,
      seconds: r.seconds
    });
    states.push(...changedFluxObjects(r.changes));
  }
  for (const source of pass.flux?.sources ?? []) states.push(sourceState(source));
  for (const k of pass.flux?.reports ?? []) {
    states.push(kustomizationState(k));
    states.push(...changedFluxObjects(k.changes));
  }
  return states;
}
function imagePolicyResources(status, fallbackNamespace) {
  return status.policies.map((p) => {
    const [namespace, name] = p.policy.includes(":") ? p.policy.split(":", 2) : [fallbackNamespace, p.policy];
    return {
      group: "image.toolkit.fluxcd.io",
      kind: "ImagePolicy",
      namespace: namespace || fallbackNamespace,
      name: name || p.policy,
      ready: p.error ? "False" : "True",
      revision: p.latest || void 0
    };
  });
}

// agent/metrics.ts
var DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
var Metrics = class {
  registry = new import_registry.default();
  namespace;
  /** The last state of each object with gotk series (key: resourceKey). */
  resources = /* @__PURE__ */ new Map();
  /** The label set of each object's gotk_resource_info (labels change with its state). */
  infoLabels = /* @__PURE__ */ new Map();
  policyLabels = /* @__PURE__ */ new Map();
  suspendedUnits = /* @__PURE__ */ new Set();
  passes;
  passDuration;
  unexpected;
  lastPassStart;
  sourceStale;
  polls;
  fetches;
  unitSyncs;
  unitObjects;
  unitLastSync;
  unitLastSuccess;
  unitReady;
  imagePolicy;
  imageLastPush;
  imageRuns;
  alertDeliveries;
  condition;
  suspend;
  duration;
  info;
  constructor(options = {}) {
    this.namespace = options.namespace ?? "tether-system";
    const registers = [this.registry];
    const started = Date.now() / 1e3 - process.uptime();
    new import_gauge.default({
      name: "tether_build_info",
      help: "The agent's version (always 1).",
      labelNames: ["version"],
      registers
    }).set({ version }, 1);
    this.passes = new import_counter.default({
      name: "tether_passes_total",
      help: "Passes of the agent's loop, by result.",
      labelNames: ["result"],
      registers
    });
    this.passDuration = new import_histogram.default({
      name: "tether_pass_duration_seconds",
      help: "How long a pass of the loop took (fetch, every due unit, the Flux objects).",
      buckets: DURATION_BUCKETS,
      registers
    });
    this.unexpected = new import_counter.default({
      name: "tether_unexpected_errors_total",
      help: "Errors that are bugs (caught per pass, logged with their stack once).",
      registers
    });
    this.lastPassStart = new import_gauge.default({
      name: "tether_last_pass_start_timestamp_seconds",
      help: "When the last pass started.",
      registers
    });
    this.sourceStale = new import_gauge.default({
      name: "tether_source_stale",
      help: "1 while Git cannot be reached and units are kept from the last good state.",
      registers
    });
    this.polls = new import_counter.default({
      name: "tether_git_polls_total",
      help: "Checks of the remote revision, by result.",
      labelNames: ["result"],
      registers
    });
    this.fetches = new import_counter.default({
      name: "tether_git_fetches_total",
      help: "Fetches made because the remote revision changed.",
      registers
    });
    this.unitSyncs = new import_counter.default({
      name: "tether_unit_syncs_total",
      help: "Reconciles of a unit, by result.",
      labelNames: ["unit", "result"],
      registers
    });
    this.unitObjects = new import_counter.default({
      name: "tether_unit_objects_total",
      help: "Objects handled by a unit's reconciles, by action.",
      labelNames: ["unit", "action"],
      registers
    });
    this.unitLastSync = new import_gauge.default({
      name: "tether_unit_last_sync_timestamp_seconds",
      help: "When the unit last finished a reconcile.",
      labelNames: ["unit"],
      registers
    });
    this.unitLastSuccess = new import_gauge.default({
      name: "tether_unit_last_success_timestamp_seconds",
      help: "When the unit last reconciled successfully.",
      labelNames: ["unit"],
      registers
    });
    this.unitReady = new import_gauge.default({
      name: "tether_unit_ready",
      help: "1 when the unit's last reconcile succeeded.",
      labelNames: ["unit"],
      registers
    });
    this.imagePolicy = new import_gauge.default({
      name: "tether_image_policy_info",
      help: "Each ImagePolicy's latest tag and the value in Git (1 when selection worked).",
      labelNames: ["policy", "latest", "in_git"],
      registers
    });
    this.imageLastPush = new import_gauge.default({
      name: "tether_image_last_push_timestamp_seconds",
      help: "When image automation last pushed a commit.",
      registers
    });
    this.imageRuns = new import_counter.default({
      name: "tether_image_automation_runs_total",
      help: "Runs of image automation, by result (failed: the run or one of its policies).",
      labelNames: ["result"],
      registers
    });
    this.alertDeliveries = new import_counter.default({
      name: "tether_alert_deliveries_total",
      help: "Alerts and commit statuses by how their delivery ended (sent, failed after retries, dropped by the rate limit).",
      labelNames: ["result"],
      registers
    });
    this.condition = new import_gauge.default({
      name: "gotk_reconcile_condition",
      help: "The current condition status of a GitOps Toolkit resource reconciliation (Flux compatible).",
      labelNames: ["kind", "name", "namespace", "type", "status"],
      registers
    });
    this.suspend = new import_gauge.default({
      name: "gotk_suspend_status",
      help: "The current suspend status of a GitOps Toolkit resource (Flux compatible).",
      labelNames: ["kind", "name", "namespace"],
      registers
    });
    this.duration = new import_histogram.default({
      name: "gotk_reconcile_duration_seconds",
      help: "The duration in seconds of a GitOps Toolkit resource reconciliation (Flux compatible).",
      labelNames: ["kind", "name", "namespace"],
      buckets: DURATION_BUCKETS,
      registers
    });
    this.info = new import_gauge.default({
      name: "gotk_resource_info",
      help: "The current state of a GitOps Toolkit resource (the labels of Flux's kube-state-metrics configuration).",
      labelNames: [
        "customresource_group",
        "customresource_version",
        "customresource_kind",
        "exported_namespace",
        "name",
        "ready",
        "suspended",
        "revision",
        "source_name",
        "url"
      ],
      registers
    });
    new import_gauge.default({
      name: "process_resident_memory_bytes",
      help: "Resident memory size in bytes.",
      registers,
      collect() {
        this.set(process.memoryUsage.rss());
      }
    });
    new import_gauge.default({
      name: "nodejs_heap_size_used_bytes",
      help: "V8 heap in use, in bytes.",
      registers,
      collect() {
        this.set(process.memoryUsage().heapUsed);
      }
    });
    new import_counter.default({
      name: "process_cpu_seconds_total",
      help: "User and system CPU time spent in seconds.",
      registers,
      collect() {
        const cpu = process.cpuUsage();
        this.reset();
        this.inc((cpu.user + cpu.system) / 1e6);
      }
    });
    new import_gauge.default({
      name: "process_start_time_seconds",
      help: "Start time of the process since the Unix epoch in seconds.",
      registers
    }).set(Math.round(started));
    for (const result of ["ok", "failed"]) {
      this.passes.inc({ result }, 0);
      this.imageRuns.inc({ result }, 0);
    }
    for (const result of ["ok", "error"]) this.polls.inc({ result }, 0);
    for (const result of ["sent", "failed", "dropped"]) this.alertDeliveries.inc({ result }, 0);
    this.unexpected.inc(0);
    this.fetches.inc(0);
    this.lastPassStart.set(0);
    this.sourceStale.set(0);
    this.imageLastPush.set(0);
  }
  /** The exposition, text format 0.0.4. */
  render() {
    return this.registry.metrics();
  }
  get contentType() {
    return this.registry.contentType;
  }
  /** A pass of the loop started (the liveness watchdog's clock). */
  recordPassStart() {
    this.lastPassStart.set(Date.now() / 1e3);
  }
  recordPass(ok, seconds) {
    this.passes.inc({ result: ok ? "ok" : "failed" });
    if (seconds !== void 0) this.passDuration.observe(seconds);
  }
  /** An error that is a bug, not bad input or an unreachable server. */
  recordUnexpected() {
    this.unexpected.inc();
  }
  /** 1 while units are applied from the last good state because Git cannot be reached. */
  recordSourceStale(stale) {
    this.sourceStale.set(stale ? 1 : 0);
  }
  recordPoll(result, fetched) {
    this.polls.inc({ result });
    if (fetched) this.fetches.inc();
  }
  unitCounters(unit) {
    for (const result of ["ok", "failed"]) this.unitSyncs.inc({ unit, result }, 0);
    for (const action of COUNTED) this.unitObjects.inc({ unit, action }, 0);
  }
  /** A unit that failed without a report of its own (a failed pass before reconcile). */
  recordUnitFailed(unit) {
    this.unitCounters(unit);
    this.unitSyncs.inc({ unit, result: "failed" });
    this.unitLastSync.set({ unit }, Date.now() / 1e3);
    this.unitLastSuccess.inc({ unit }, 0);
    this.unitReady.set({ unit }, 0);
    const previous = this.resources.get(resourceKey(unitResource(unit, this.namespace)));
    this.recordResources([
      { ...unitResource(unit, this.namespace), ready: "False", revision: previous?.revision }
    ]);
  }
  recordUnit(report) {
    const unit = report.unit;
    const now = Date.now() / 1e3;
    this.unitCounters(unit);
    this.unitSyncs.inc({ unit, result: report.ok ? "ok" : "failed" });
    for (const action of COUNTED)
      this.unitObjects.inc({ unit, action }, report.status.counts[action]);
    this.unitLastSync.set({ unit }, now);
    if (report.ok) this.unitLastSuccess.set({ unit }, now);
    else this.unitLastSuccess.inc({ unit }, 0);
    this.unitReady.set({ unit }, report.ok ? 1 : 0);
  }
  /** Units suspended with `tether suspend` (their gotk series say suspended). */
  recordSuspended(units) {
    const changed = [...units, ...this.suspendedUnits].filter(
      (u) => units.has(u) !== this.suspendedUnits.has(u)
    );
    this.suspendedUnits = new Set(units);
    this.recordResources(
      changed.flatMap((unit) => {
        const state = this.resources.get(resourceKey(unitResource(unit, this.namespace)));
        return state ? [{ ...state, seconds: void 0 }] : [];
      })
    );
  }
  /**
   * The state of objects after they were reconciled (or pruned: `Deleted`): their
   * condition, suspend and info series, and the reconcile's duration when measured.
   */
  recordResources(states) {
    for (const s of states) {
      const key = resourceKey(s);
      const suspended = s.kind === UNIT_KIND && s.group === UNIT_GROUP ? this.suspendedUnits.has(s.name) : s.suspended ?? false;
      const state = { ...s, suspended };
      const id = { kind: s.kind, name: s.name, namespace: s.namespace };
      for (const status of READY_STATUSES)
        this.condition.set({ ...id, type: "Ready", status }, status === s.ready ? 1 : 0);
      this.suspend.set(id, suspended ? 1 : 0);
      if (s.seconds !== void 0) this.duration.observe(id, s.seconds);
      const old = this.infoLabels.get(key);
      if (old) this.info.remove(old);
      if (s.ready === "Deleted") {
        this.infoLabels.delete(key);
        this.resources.delete(key);
        continue;
      }
      const labels = {
        customresource_group: s.group,
        ...s.version ? { customresource_version: s.version } : {},
        customresource_kind: s.kind,
        exported_namespace: s.namespace,
        name: s.name,
        ready: s.ready,
        suspended: String(suspended),
        ...s.revision ? { revision: s.revision } : {},
        ...s.labels
      };
      this.info.set(labels, 1);
      this.infoLabels.set(key, labels);
      this.resources.set(key, state);
    }
  }
  /** Each policy's latest tag and the value in Git; the last push. */
  recordImages(status) {
    for (const p of status.policies) {
      const old = this.policyLabels.get(p.policy);
      if (old) this.imagePolicy.remove(old);
      const labels = { policy: p.policy, latest: p.latest, in_git: p.inGit };
      this.imagePolicy.set(labels, p.error ? 0 : 1);
      this.policyLabels.set(p.policy, labels);
    }
    if (status.lastPush) this.imageLastPush.set(Date.parse(status.lastPush) / 1e3);
    this.recordResources(imagePolicyResources(status, this.namespace));
  }
  /** An alert or commit status was sent, failed after its retries, or was dropped. */
  recordAlertDelivery(result) {
    this.alertDeliveries.inc({ result });
  }
  /** A run of image automation ended; failed when it threw or a policy failed. */
  recordImageRun(ok) {
    this.imageRuns.inc({ result: ok ? "ok" : "failed" });
  }
};

// agent/pass.ts
const { join } = require("node:path");
function passAlerts(agent, options) {
  const notifier = new Notifier(agent.config.alerts ?? [], {
    log: agent.log,
    onDelivery: (result) => agent.metrics.recordAlertDelivery(result)
  });
  const notifications = new NotificationObjects(agent.client, {
    receiverServed: options.receiverServed,
    note: (line) => agent.log(`note: ${line}`),
    onTargets: (targets) => notifier.setFluxTargets(targets)
  });
  return {
    notifier,
    notifications,
    cluster: agent.config.cluster ?? "default",
    kustomizationReady: /* @__PURE__ */ new Map()
  };
}
async function runPass(agent, due, options, alerts) {
  const passStart = Date.now();
  agent.times.lastPassStart = passStart;
  agent.metrics.recordPassStart();
  const fluxEvents = [];
  const pass = await sync(agent, due, options, alerts, fluxEvents);
  if (pass.revision) agent.times.lastFetch = Date.now();
  agent.metrics.recordSourceStale(pass.stale === true);
  await alerts.notifications.refresh(pass.revision).catch((error) => agent.onError(error, "notification objects"));
  for (const event of fluxEvents) alerts.notifier.notify(event);
  recordPass(agent, pass, passStart, alerts);
  agent.metrics.recordResources(passResources(pass, agent.config.namespace));
  recordUnits(agent, due, pass, passStart, alerts);
  forgetUnreached(agent, due, pass);
  agent.log(
    `pass ${pass.ok ? "ok" : "failed"} at ${pass.revision?.slice(0, 12) ?? "?"} in ${Date.now() - passStart}ms`
  );
}
async function sync(agent, due, options, alerts, fluxEvents) {
  const { config, client, metrics, log, onError } = agent;
  try {
    return await syncOnce(config, {
      client,
      cacheDir: options.cacheDir,
      kubeconfig: options.kubeconfig,
      units: due.map((s) => s.unit),
      healthyBefore: agent.schedule.healthyBesides(due),
      onUnit: (report) => {
        for (const change of report.changes.filter(isShown))
          if (change.action !== "unchanged") log(`${report.unit}: ${formatChange(change)}`);
        for (const error of report.errors) log(`${report.unit}: error: ${error}`);
        metrics.recordUnit(report);
      },
      onError,
      onNote: (line) => log(`note: ${line}`),
      onKustomization: (report) => {
        const wasReady = alerts.kustomizationReady.get(report.key);
        fluxEvents.push(...eventsOfKustomization(report, wasReady, alerts.cluster));
        if (!report.skipped && !report.suspended)
          alerts.kustomizationReady.set(report.key, report.ready);
      },
      fluxSchedule: agent.fluxSchedule,
      lastGoodDir: join(options.cacheDir, "last-good")
    });
  } catch (error) {
    onError(error, "pass");
    return { ok: false, reports: [], error: messageOf(error) };
  }
}
function recordPass(agent, pass, passStart, alerts) {
  const { metrics, log } = agent;
  metrics.recordPoll(pass.revision ? "ok" : "error", pass.fetched === true);
  metrics.recordPass(pass.ok, (Date.now() - passStart) / 1e3);
  if (pass.error) log(`error: ${pass.error}`);
  if (pass.warning) log(`warning: ${pass.warning}`);
  if (pass.revision && pass.revision !== alerts.pendingRevision && alerts.notifier.size > 0) {
    alerts.pendingRevision = pass.revision;
    alerts.notifier.pending(alerts.cluster, pass.revision);
  }
}
function forgetUnreached(agent, due, pass) {
  if (!agent.schedule.runnable().every((s) => due.includes(s))) return;
  agent.fluxSchedule.keepOnly(new Set(pass.flux?.reports.map((r) => r.key)));
}
function recordUnits(agent, due, pass, passStart, alerts) {
  for (const state of due) {
    const report = pass.reports.find((r) => r.unit === state.unit.name);
    if (!report) agent.metrics.recordUnitFailed(state.unit.name);
    const ok = report?.ok ?? false;
    const error = report?.errors.join("; ") || pass.error;
    const wasOk = state.ok;
    agent.schedule.record(state, ok, error, Date.now(), passStart);
    const outcome = { ok, error, revision: pass.revision, pruned: prunedOf(report) };
    for (const event of eventsOfUnit(state.unit.name, wasOk, outcome, alerts.cluster))
      alerts.notifier.notify(event);
  }
}

// agent/requests.ts
var REQUEST_WATCH_SECONDS = 300;
var REQUEST_RETRY_MS = 3e3;
async function watchRequests(agent, stop, watchSeconds = REQUEST_WATCH_SECONDS) {
  const { client, config, schedule, log } = agent;
  const seenTokens = /* @__PURE__ */ new Map();
  const records = /* @__PURE__ */ new Map();
  let first = true;
  const scope = {
    namespace: config.namespace,
    labelSelector: RECORDS_SELECTOR,
    metadataOnly: true
  };
  const decide = () => {
    const { requested, suspended } = unitRequests([...records.values()], seenTokens, first);
    first = false;
    for (const name of suspended)
      if (!schedule.suspended.has(name)) log(`${name}: suspended (tether resume ${name})`);
    for (const name of schedule.suspended) if (!suspended.has(name)) log(`${name}: resumed`);
    const resumed = [...schedule.suspended].some((name) => !suspended.has(name));
    schedule.suspended = suspended;
    agent.metrics.recordSuspended(suspended);
    const units = requested.filter((name) => config.units.some((u) => u.name === name));
    if (units.length > 0) {
      log(`reconcile requested: ${units.join(", ")}`);
      schedule.request(units);
    }
    if (units.length > 0 || resumed) stop.wake();
  };
  const list = async () => {
    try {
      const { items, resourceVersion: resourceVersion2 } = await client.listAt("v1", "ConfigMap", scope);
      records.clear();
      for (const item of items) records.set(item.metadata.name, item);
      decide();
      return resourceVersion2;
    } catch (error) {
      agent.onError(error, "requests");
      return void 0;
    }
  };
  const aborter = new AbortController();
  let stopped = false;
  const pause = (ms) => new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      aborter.signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    aborter.signal.addEventListener("abort", done, { once: true });
  });
  let resourceVersion = await list();
  const follow = async () => {
    while (!stopped && !stop.stopping) {
      if (resourceVersion === void 0) {
        await pause(REQUEST_RETRY_MS);
        if (stopped) return;
        resourceVersion = await list();
        continue;
      }
      const started = Date.now();
      try {
        resourceVersion = await client.watch(
          "v1",
          "ConfigMap",
          { ...scope, resourceVersion, timeoutSeconds: watchSeconds, signal: aborter.signal },
          (type, object) => {
            if (type === "DELETED") records.delete(object.metadata.name);
            else records.set(object.metadata.name, object);
            decide();
          }
        );
        if (Date.now() - started < 500) await pause(REQUEST_RETRY_MS);
      } catch (error) {
        agent.onError(error, "requests");
        resourceVersion = void 0;
      }
    }
  };
  void follow();
  return () => {
    stopped = true;
    aborter.abort();
  };
}

// agent/running.ts
function isUnexpected(error) {
  return !(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}
function unexpectedErrorSink(log, metrics) {
  const seenStacks = /* @__PURE__ */ new Set();
  return (error, where) => {
    if (!isUnexpected(error)) return;
    metrics.recordUnexpected();
    const stack = error instanceof Error ? error.stack ?? error.message : String(error);
    if (seenStacks.has(stack)) return;
    seenStacks.add(stack);
    log(`${where}: unexpected error (retried; please report it): ${stack}`);
  };
}

// agent/signals.ts
function onStopSignal(log, graceMs, exit = (code) => process.exit(code)) {
  let stopping = false;
  let wake;
  const handler = (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the unit in progress, then stopping`);
    wake?.();
    const timer = setTimeout(() => {
      log(`${signal}: still busy after ${graceMs}ms; exiting (records are written whole)`);
      exit(0);
    }, graceMs);
    timer.unref();
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    get stopping() {
      return stopping;
    },
    sleep(ms) {
      if (stopping) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = void 0;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
      });
    },
    wake() {
      wake?.();
    },
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    }
  };
}

// agent/loop.ts
var DEFAULT_STALE_AFTER_MS = 10 * 6e4;
var DEFAULT_GRACE_MS = 8e3;
async function runAgent(config, options) {
  const log = options.log ?? ((line) => process.stdout.write(`${(/* @__PURE__ */ new Date()).toISOString()} ${line}
`));
  const stop = onStopSignal(log, options.graceMs ?? DEFAULT_GRACE_MS);
  const client = await KubeClient.connect({ kubeconfig: options.kubeconfig });
  const metrics = new Metrics({ namespace: config.namespace });
  const agent = {
    config,
    client,
    metrics,
    schedule: new UnitSchedule(config.units),
    fluxSchedule: new FluxSchedule(),
    log,
    onError: unexpectedErrorSink(log, metrics),
    times: { started: Date.now() }
  };
  const alerts = passAlerts(agent, { receiverServed: options.receiver !== void 0 });
  const passRequested = () => {
    agent.schedule.request();
    stop.wake();
  };
  const endpoints = await serveEndpoints(agent, {
    port: options.port ?? HTTP_PORT,
    bind: options.bind ?? "::",
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    receiver: options.receiver,
    onTrigger: passRequested,
    fluxReceiver: (path) => alerts.notifications.receiverAt(path),
    onFluxTrigger: (receiver) => {
      void requestResources(client, receiver, (line) => log(`note: ${line}`)).finally(
        passRequested
      );
    }
  });
  log(
    `agent: ${config.units.length} unit(s) from ${redactUrl(config.git.url)}, records in ${config.namespace}`
  );
  const stopRequests = await watchRequests(agent, stop);
  const images = options.images ? new ImageSchedule(config, options.images, client, metrics, log) : void 0;
  await loopUntilStopped(agent, stop, {
    images,
    alerts,
    pass: { cacheDir: options.cacheDir, kubeconfig: options.kubeconfig },
    tickMs: options.tickMs ?? 6e4
  });
  stopRequests();
  await endpoints.close();
  await Promise.race([alerts.notifier.flush(), new Promise((r) => setTimeout(r, 2e3).unref())]);
  client.close();
  stop.dispose();
  log("stopped");
}
async function loopUntilStopped(agent, stop, { images, alerts, pass, tickMs }) {
  const { schedule, fluxSchedule, client } = agent;
  while (!stop.stopping) {
    try {
      if (images && images.nextRun <= Date.now()) await images.run(agent.onError);
      let due = schedule.due(Date.now());
      if (due.length === 0 && await fluxSchedule.needsPass(client)) {
        due = schedule.runnable();
        if (due.length === 0) fluxSchedule.keepOnly(/* @__PURE__ */ new Set());
      }
      if (due.length > 0 && !stop.stopping) {
        fluxSchedule.passStarted();
        await runPass(agent, due, pass, alerts);
      }
    } catch (error) {
      agent.onError(error, "loop");
      for (const state of schedule.due(Date.now())) schedule.record(state, false, messageOf(error));
    }
    if (stop.stopping) break;
    const next = Math.min(
      images?.nextRun ?? Number.POSITIVE_INFINITY,
      schedule.nextDue(),
      fluxSchedule.nextWake()
    );
    const sleep = Math.max(0, Math.min(next - Date.now(), tickMs));
    await stop.sleep(sleep);
  }
}
export {
  DEFAULT_GRACE_MS,
  DEFAULT_STALE_AFTER_MS,
  isUnexpected,
  nextDelay,
  runAgent
};
