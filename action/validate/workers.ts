// Worker threads for large validations. The plain manifest files of a large folder are
// read and parsed by worker threads (worker.ts), and this thread checks each file's
// objects as they come (check.ts) while the workers parse the next ones: the parse is
// the larger half, and each thread pays its own start and warm-up (module loading, the
// JIT, compiling the schemas), so the schemas are compiled and run in one thread only.
// Those early checks are made without CRD schemas, which only the whole render gives;
// an object that a CRD of the run turns out to describe is checked again (run.ts).
// Messages are placed on their lines by the worker that holds the file's parse. A run
// below the size never starts a worker (a pull request's few files). Results and their
// order are those of a run without workers.
import { readFileSync } from "node:fs";
import { getCompileCacheDir } from "node:module";
import { Worker } from "node:worker_threads";
import type { Manifest } from "../../shared/manifests/object.ts";
import { decodeUtf8, ManifestError } from "../../shared/manifests/parse.ts";
import type { FilePositions, Located } from "../../shared/manifests/positions.ts";
import { YamlPositions } from "../../shared/manifests/yaml-positions.ts";
import {
  loadPlainFile,
  type PlainFile,
  type PlainFileOptions,
  type PlainFilesLoader,
} from "../../shared/render/flux-dir.ts";
import {
  type CheckOptions,
  type ObjectCheck,
  type ObjectChecker,
  objectChecker,
  prepareChecks,
} from "./check.ts";
import { type Reply, type Request, WORKER_ROLE, workerScript } from "./worker.ts";

/** Below this many bytes of plain files (about 2,500 documents) no worker starts. */
export const WORKERS_FROM_BYTES = 1024 * 1024;

export interface WorkerPlan {
  workers: number;
  /** Plain files' bytes (all folders so far) from which the workers are used. */
  fromBytes: number;
}

/**
 * How many workers, from TETHER_VALIDATE_WORKERS (0: none; N: N that parse every plain
 * file whatever the size, as the tests force them) or else from the CPUs. The main
 * thread and V8's own threads (the concurrent GC and JIT compilers keep a second CPU
 * about half busy in a run without workers) take two of them, the workers the rest,
 * three at most. A worker costs its own start (0.1 s), warm-up and copies of the
 * objects, so on 2 CPUs none starts: measured there on a quiet machine, six runs each,
 * medians, from dist/cli.js: 10,000 documents 1.63 s without a worker against 1.79 s
 * with one (with the server rules), 1.60 against 1.57 s (without them); 50,000
 * documents 4.46 against 4.69 s. More CPUs were not there to measure.
 */
export function workerPlan(setting: string | undefined, parallelism: number): WorkerPlan {
  if (setting !== undefined && setting.trim() !== "") {
    const workers = Number(setting);
    if (!Number.isInteger(workers) || workers < 0) {
      throw new Error(`TETHER_VALIDATE_WORKERS: "${setting}" is not a number of workers`);
    }
    return { workers, fromBytes: 0 };
  }
  const workers = Math.min(parallelism - 2, 3);
  return { workers: Math.max(0, workers), fromBytes: WORKERS_FROM_BYTES };
}

/** Field positions of a file a worker parsed: what its checks looked up, else parsed again. */
class PlacedPositions implements FilePositions {
  private readonly places = new Map<string, Located | undefined>();
  private again: FilePositions | undefined;
  private readonly file: PlainFile;
  constructor(file: PlainFile) {
    this.file = file;
  }

  add(line: number, pointer: string, at: Located | undefined): void {
    this.places.set(`${line}\0${pointer}`, at);
  }

  locate(line: number, pointer: string): Located | undefined {
    const key = `${line}\0${pointer}`;
    if (this.places.has(key)) return this.places.get(key);
    // Not asked for by place() (no message names it): the file read again, here, once.
    this.again ??= loadedPositions(this.file);
    return this.again?.locate(line, pointer);
  }
}

/** The file's positions from `yaml`'s syntax tree: locate() answers at once, no await. */
function loadedPositions(file: PlainFile): FilePositions | undefined {
  try {
    return new YamlPositions(decodeUtf8(readFileSync(file.path), file.name));
  } catch {
    return undefined;
  }
}

/** A file to parse, and who waits for its objects. */
interface Job {
  file: PlainFile;
  options: PlainFileOptions;
  done(manifests: Manifest[]): void;
  fail(error: unknown): void;
}

interface Waiting {
  done(reply: Reply): void;
  fail(error: Error): void;
  /** A parse, given to another thread if this worker stops. */
  job?: Job | undefined;
}

/** One worker: the requests it has not answered, and whether it has stopped. */
class Lane {
  stopped = false;
  /** Parse requests among `waiting`. */
  files = 0;
  readonly waiting = new Map<number, Waiting>();
  readonly worker: Worker;
  constructor(worker: Worker) {
    this.worker = worker;
  }
}

/**
 * A worker's first code: Node's compile cache, as the CLI's thread uses it (cli/bin.ts),
 * before its modules load; without it a worker strips the TypeScript sources again and
 * compiles every module anew (about twice the start).
 */
const BOOT = `const { workerData } = require("node:worker_threads");
if (workerData.cache) require("node:module").enableCompileCache(workerData.cache);
import(workerData.script);`;

export class ValidateWorkers {
  private readonly lanes: Lane[] = [];
  private readonly queue: Job[] = [];
  private readonly owners = new WeakMap<Manifest, { lane: Lane; key: number }>();
  private readonly early = new WeakMap<Manifest, ObjectCheck>();
  private readonly plan: WorkerPlan;
  private readonly checkOptions: CheckOptions | undefined;
  private checker: Promise<ObjectChecker> | undefined;
  private checking: Promise<void> = Promise.resolve();
  private offered = 0;
  private nextId = 0;
  private parsingHere = false;

  /** With `precheck`, objects are checked as they come (no CRD schemas: see above). */
  constructor(plan: WorkerPlan, precheck?: CheckOptions) {
    this.plan = plan;
    this.checkOptions = precheck;
  }

  /** For renderPath: a large folder's files go to the workers. */
  readonly loadPlainFiles: PlainFilesLoader = (files, options, bytes) => {
    this.offered += bytes;
    if (this.plan.workers === 0 || this.offered < this.plan.fromBytes) return undefined;
    this.start();
    const loading = files.map(
      (file) =>
        new Promise<Manifest[]>((done, fail) => {
          this.queue.push({
            file,
            options,
            done: (manifests) => {
              this.precheckLater(manifests);
              done(manifests);
            },
            fail,
          });
        }),
    );
    this.dispatch();
    return loading;
  };

  /** Whether a worker parsed this manifest (and so knows where its fields are). */
  owns(manifest: Manifest): boolean {
    return this.owners.has(manifest);
  }

  /** The check made as the manifest came (without CRD schemas), once all are made. */
  async prechecks(): Promise<(manifest: Manifest) => ObjectCheck | undefined> {
    await this.checking;
    return (manifest) => this.early.get(manifest);
  }

  /** Asks the workers where the fields that messages name are, for the report. */
  async place(messages: readonly { manifest: Manifest; pointers: string[] }[]): Promise<void> {
    const byLane = new Map<Lane, { manifest: Manifest; key: number; pointers: string[] }[]>();
    for (const { manifest, pointers } of messages) {
      const owner = this.owners.get(manifest);
      const wanted = pointers.filter((p) => p !== "");
      if (!owner || wanted.length === 0 || !(manifest.source.positions instanceof PlacedPositions))
        continue;
      const list = byLane.get(owner.lane) ?? [];
      list.push({ manifest, key: owner.key, pointers: wanted });
      byLane.set(owner.lane, list);
    }
    await Promise.all(
      [...byLane].map(async ([lane, list]) => {
        const reply = await this.request(lane, {
          type: "locate",
          keys: list.map((m) => m.key),
          pointers: list.map((m) => m.pointers),
        });
        if (reply.type !== "located") throw new Error(`validate worker: ${reply.type} to locate`);
        list.forEach(({ manifest, pointers }, i) => {
          const { line, positions } = manifest.source;
          if (line === undefined || !(positions instanceof PlacedPositions)) return;
          for (const [j, pointer] of pointers.entries()) {
            positions.add(line, pointer, reply.places[i]?.[j]);
          }
        });
      }),
    );
  }

  /** Stops the workers (they hold the files' positions). */
  close(): void {
    for (const lane of this.lanes) {
      lane.stopped = true;
      void lane.worker.terminate();
    }
  }

  private start(): void {
    if (this.lanes.length > 0) return;
    // Loaded while the workers start and parse their first files, when this thread is
    // idle (the server rules' CEL library takes a tenth of a second).
    if (this.checkOptions) this.earlyChecker(this.checkOptions).catch(() => {});
    for (let i = 0; i < this.plan.workers; i++) {
      const worker = new Worker(BOOT, {
        eval: true,
        workerData: { role: WORKER_ROLE, script: workerScript.href, cache: getCompileCacheDir() },
      });
      const lane = new Lane(worker);
      worker.on("message", (reply: Reply) => this.answer(lane, reply));
      worker.on("error", (error) => this.stopped(lane, error));
      worker.on("exit", (code) =>
        this.stopped(lane, new Error(`validate worker stopped (exit code ${code})`)),
      );
      this.lanes.push(lane);
    }
  }

  /** A worker that stops: its files go back to the queue, anything else fails. */
  private stopped(lane: Lane, error: Error): void {
    lane.stopped = true;
    lane.files = 0;
    for (const waiting of lane.waiting.values()) {
      if (waiting.job) this.queue.unshift(waiting.job);
      else waiting.fail(error);
    }
    lane.waiting.clear();
    this.dispatch();
    void this.parseHere();
  }

  private answer(lane: Lane, reply: Reply): void {
    const waiting = lane.waiting.get(reply.id);
    lane.waiting.delete(reply.id);
    if (waiting?.job) lane.files--;
    if (reply.type === "failed") waiting?.fail(new Error(reply.message));
    else waiting?.done(reply);
  }

  private request(lane: Lane, request: DistributiveOmit<Request, "id">, job?: Job): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((done, fail) => {
      lane.waiting.set(id, { done, fail, job });
      lane.worker.postMessage({ ...request, id });
    });
  }

  /**
   * Every queued file to the worker with the fewest, at once: a worker parses its files
   * one after another, in order (worker.ts), and never waits for this thread, which is
   * busy checking (the first objects' checks compile their schemas: with 32 files in
   * flight and more sent as answers were read, a worker was idle half of the time).
   */
  private dispatch(): void {
    const alive = this.lanes.filter((lane) => !lane.stopped);
    while (alive.length > 0 && this.queue.length > 0) {
      const lane = alive.reduce((a, b) => (b.files < a.files ? b : a));
      const job = this.queue.shift() as Job;
      lane.files++;
      this.request(lane, { type: "parse", file: job.file, options: job.options }, job)
        .then((reply) => this.received(lane, reply, job))
        .then(job.done, job.fail);
    }
  }

  private received(lane: Lane, reply: Reply, job: Job): Manifest[] {
    if (reply.type === "refused") throw new ManifestError(reply.file, reply.line, reply.detail);
    if (reply.type !== "parsed") throw new Error(`validate worker: ${reply.type} to a parse`);
    const positions = job.options.positions ? new PlacedPositions(job.file) : undefined;
    return reply.manifests.map(({ key, object, source }) => {
      const manifest: Manifest = { object, source: positions ? { ...source, positions } : source };
      this.owners.set(manifest, { lane, key });
      return manifest;
    });
  }

  /**
   * Files no worker can parse (all of them stopped) are parsed here. While they work,
   * this thread parses nothing: it checks, and a thread that parses pays the parser's
   * warm-up in the JIT again (measured: more CPU and a slower run, at 10,000 and at
   * 50,000 documents, when this thread also parsed whenever it had nothing to check).
   */
  private async parseHere(): Promise<void> {
    if (this.parsingHere) return;
    this.parsingHere = true;
    try {
      while (this.queue.length > 0 && this.lanes.every((lane) => lane.stopped)) {
        const job = this.queue.shift() as Job;
        await loadPlainFile(job.file, job.options).then(job.done, job.fail);
      }
    } finally {
      this.parsingHere = false;
    }
  }

  private earlyChecker(options: CheckOptions): Promise<ObjectChecker> {
    this.checker ??= objectChecker(options, new Map());
    return this.checker;
  }

  /** Checks the objects of one file after the messages waiting (a worker's next file first). */
  private precheckLater(manifests: Manifest[]): void {
    const options = this.checkOptions;
    if (!options) return;
    this.checking = this.checking.then(async () => {
      const check = await this.earlyChecker(options);
      await prepareChecks(
        options,
        manifests.map((m) => m.object),
      );
      await new Promise((next) => setImmediate(next));
      for (const manifest of manifests) this.early.set(manifest, check(manifest.object));
    });
    // A failure is prechecks()'s to report, when the run asks.
    this.checking.catch(() => {});
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
