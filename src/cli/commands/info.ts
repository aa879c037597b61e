import type { Command } from 'commander';
import { loadModel } from '../models.js';
import type { Cli } from '../common.js';
import { modelFacts, modelSummary } from '../report.js';

/** `gmm info MODEL`: what a model file holds. */
export function registerInfo(program: Command, cli: Cli): void {
  program
    .command('info')
    .summary('describe a model file')
    .description('Describe the model in a model file: components, weights, means, the covariances’ axes, convergence.')
    .argument('<model>', 'model file written by gmm fit')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  gmm info iris.json')
    .action(async (modelFile: string, options: { json?: boolean }) => {
      const model = await loadModel(modelFile);
      if (options.json) await cli.out(`${JSON.stringify({ command: 'info', file: modelFile, ...modelFacts(model) })}\n`);
      else await cli.out(`${modelFile}\n${modelSummary(model)}\n`);
    });
}
