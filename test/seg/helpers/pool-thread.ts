/**
 * A kernel thread for the pool's tests: answers real kernels as src/cli/kernel-thread.ts does, plus
 * requests that misbehave on purpose: "sleep" (holds the thread `args[0]` ms, counting in the shared
 * `args[1]` how many sleep at once: [now, most]), "crash" (an uncaught error outside any kernel) and
 * "exit" (the thread ends itself).
 */
import { parentPort, threadId } from "node:worker_threads";
import { kernelReply, type KernelRequest } from "../../../src/seg/kernel-pool.ts";

parentPort!.on("message", (request: KernelRequest) => {
  if (request.name === "sleep") {
    const [ms, counter] = request.args as [number, Int32Array | undefined];
    if (counter) {
      const now = Atomics.add(counter, 0, 1) + 1;
      for (let most = Atomics.load(counter, 1); now > most; most = Atomics.load(counter, 1)) {
        if (Atomics.compareExchange(counter, 1, most, now) === most) break;
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    if (counter) Atomics.sub(counter, 0, 1);
    parentPort!.postMessage({ id: request.id, value: threadId });
  } else if (request.name === "crash") {
    setTimeout(() => {
      throw new Error("thread blew up");
    });
  } else if (request.name === "exit") {
    process.exit(3);
  } else {
    const { reply, transfer } = kernelReply(request);
    parentPort!.postMessage(reply, transfer as never);
  }
});
