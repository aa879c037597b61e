import { InvalidArgumentError, Option, type Command } from 'commander';
import { InvalidParameterError } from '../../errors.js';
import { writeOutput } from '../../io/write.js';
import type { GaussianMixtureModel } from '../../estimators/mixtureModel.js';
import { plotCriteria, plotImages } from '../../plot/charts.js';
import { plotClusters, plotDensity, plotSamples, plotSoftAssignment, plotUncertainty } from '../../plot/figures.js';
import type { Criterion } from '../../selection/selectModel.js';
import { selectModelAsync } from '../../selection/selectModelAsync.js';
import type { CovarianceType } from '../../mixture/parameters.js';
import type { Matrix } from '../../matrix/matrix.js';
import { componentRange, covarianceList, criterionList, integer, nonNegative } from '../args.js';
import { loadModel } from '../models.js';
import { dataOptions, loadData, loadDataFor, type Cli, type DataOptions } from '../common.js';
import { featureNamesOf } from '../report.js';

type Kind = 'clusters' | 'proba' | 'uncertainty' | 'density' | 'bic' | 'samples';

interface PlotOptions extends DataOptions {
  kind: Kind;
  x?: string;
  y?: string;
  title?: string;
  width?: number;
  height?: number;
  threshold?: number;
  nSamples?: number;
  seed?: number;
  image?: [number, number];
  components?: number[];
  criteria?: Criterion[];
  covariance?: CovarianceType[];
  standardize?: boolean;
  output?: string;
}

/** `WxH`, e.g. 8x8. */
function imageSize(value: string): [number, number] {
  const m = /^(\d+)x(\d+)$/i.exec(value.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new InvalidArgumentError(`expected an image size like 8x8, got '${value}'`);
  return [Number(m[1]), Number(m[2])];
}

/** The index of a plotted feature: a name of the model's features, or a 1-based number. */
function featureIndex(model: GaussianMixtureModel, ref: string | undefined, option: string): number | undefined {
  if (ref === undefined) return undefined;
  const names = featureNamesOf(model);
  const byName = names.indexOf(ref);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(ref) && Number(ref) >= 1 && Number(ref) <= names.length) return Number(ref) - 1;
  throw new InvalidParameterError(
    option,
    ref,
    `a feature of the model (${names.join(', ')}) or a number from 1 to ${names.length}`,
  );
}

/**
 * `--kind bic`: the information criteria of a grid fitted on the data (3 runs a cell), over
 * `--components` or 1 to max(10, k + 2) for a model of k components.
 */
async function criteriaFigure(X: Matrix, options: PlotOptions, k: number, standardize: boolean): Promise<string> {
  const selection = await selectModelAsync(X, {
    standardize,
    nComponents: options.components ?? Array.from({ length: Math.max(10, k + 2) }, (_, i) => i + 1),
    ...(options.covariance ? { covarianceTypes: options.covariance } : {}),
    nInit: 3,
  });
  return plotCriteria(selection.results, {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.width === undefined ? {} : { width: options.width }),
    ...(options.height === undefined ? {} : { height: options.height }),
    criteria: options.criteria ?? ['bic'],
  });
}

/** `gmm plot MODEL DATA -o fig.svg`: the figures of a model on data, as SVG. */
export function registerPlot(program: Command, cli: Cli): void {
  const command = program
    .command('plot')
    .summary('draw a figure of a model on data (SVG)')
    .description(
      'Draw a figure of the model on DATA as SVG: clusters with their 1σ/2σ/3σ ellipses, the soft assignment (proba), the uncertainty, the density, information criteria against the number of components (bic), or samples from the model.',
    )
    .argument('<model>', 'model file written by gmm fit (--kind bic: may be left out, and DATA given alone)')
    .argument('[data]', 'data file, or - for standard input')
    .addOption(
      new Option('--kind <kind>', 'which figure')
        .choices(['clusters', 'proba', 'uncertainty', 'density', 'bic', 'samples'])
        .default('clusters'),
    )
    .option('--x <column>', 'feature on the x axis: name or 1-based number (default: the first)')
    .option('--y <column>', 'feature on the y axis (default: the second)')
    .option('--title <text>', 'title (each kind has a default)')
    .option('--width <px>', 'width in pixels (default: 640)', integer(120))
    .option('--height <px>', 'height in pixels (default: 440)', integer(120))
    .option('--threshold <x>', 'proba: ring points with uncertainty above this (default: 0.1)', nonNegative)
    .option('-n, --n-samples <n>', 'samples: how many points to draw (default: as many as the data rows)', integer(1))
    .option('--seed <n>', 'samples: random seed (default: 0)', integer(0))
    .option('--image <WxH>', 'samples: the rows are W×H images; draw real and generated images in grids', imageSize)
    .option('--components <range>', 'bic: numbers of components to try (default: 1 to 10)', componentRange)
    .option('--covariance <types>', 'bic: covariance types to try, or all (default: all)', covarianceList)
    .option('--criteria <list>', 'bic: the criteria drawn, from bic, aic, icl (default: bic)', criterionList)
    .option('--standardize', 'bic: fit standardized columns (default: as the model was fitted)')
    .option('-o, --output <fig.svg>', 'write the SVG here (default: standard output)')
    .addHelpText(
      'after',
      '\nExamples:\n  gmm plot iris.json data/iris.csv --x petal_length --y petal_width -o clusters.svg\n  gmm plot iris.json data/iris.csv --kind density --x 3 --y 4 -o density.svg\n  gmm plot digits.json digits-pca.csv --kind samples --image 8x8 -o digits.svg\n  gmm plot data/iris.csv --kind bic --criteria bic,aic -o bic.svg',
    );
  dataOptions(command, false).action(async (modelFile: string, file: string | undefined, options: PlotOptions) => {
    if (file === undefined) {
      if (options.kind !== 'bic')
        throw new InvalidParameterError(
          'data',
          modelFile,
          `a model and a data file for --kind ${options.kind}: gmm plot MODEL DATA`,
        );
      const data = await loadData(modelFile, options, cli);
      await writeOutput(options.output ?? '-', await criteriaFigure(data.X, options, 1, options.standardize ?? false));
      return;
    }
    const model = await loadModel(modelFile);
    const data = await loadDataFor(model, modelFile, file, options, cli);
    const x = featureIndex(model, options.x, '--x');
    const y = featureIndex(model, options.y, '--y');
    const figure = {
      ...(x === undefined ? {} : { x }),
      ...(y === undefined ? {} : { y }),
      ...(options.title === undefined ? {} : { title: options.title }),
      ...(options.width === undefined ? {} : { width: options.width }),
      ...(options.height === undefined ? {} : { height: options.height }),
    };
    let svg: string;
    switch (options.kind) {
      case 'clusters':
        svg = plotClusters(model, data.X, figure);
        break;
      case 'proba':
        svg = plotSoftAssignment(model, data.X, {
          ...figure,
          ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
        });
        break;
      case 'uncertainty':
        svg = plotUncertainty(model, data.X, figure);
        break;
      case 'density':
        svg = plotDensity(model, data.X, figure);
        break;
      case 'bic':
        svg = await criteriaFigure(data.X, options, model.nComponents, options.standardize ?? model.scaler !== undefined);
        break;
      case 'samples': {
        const samples = model.sample(options.nSamples ?? data.X.rows, { seed: options.seed ?? 0 });
        if (options.image) {
          const [w, h] = options.image;
          const shown = Math.min(data.X.rows, samples.X.rows, 100);
          const first = (m: typeof data.X) => ({ rows: shown, cols: m.cols, data: m.data.subarray(0, shown * m.cols) });
          svg = plotImages(
            [
              { name: 'data', images: first(data.X) },
              { name: 'drawn from the model', images: first(samples.X) },
            ],
            { imageWidth: w, imageHeight: h, ...(options.title === undefined ? {} : { title: options.title }) },
          );
        } else {
          svg = plotSamples(model, data.X, samples, figure);
        }
        break;
      }
    }
    await writeOutput(options.output ?? '-', svg);
  });
}
