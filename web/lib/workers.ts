/** The app's two workers, started once and shared by every view. */
import { createKernelClient, type KernelClient } from '../../workers/kernel-client';
import { createPipelineClient, type PipelineClient } from '../../workers/pipeline-client';

let pipelineClient: PipelineClient | null = null;
let kernelClient: KernelClient | null = null;

export function pipeline(): PipelineClient {
  pipelineClient ??= createPipelineClient();
  return pipelineClient;
}

export function kernel(): KernelClient {
  kernelClient ??= createKernelClient();
  return kernelClient;
}
