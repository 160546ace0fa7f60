/**
 * The README of an exported torch package: what it is and how to run it.
 *
 * @since 0.3.0
 */
import type { TorchSpec } from './spec.ts'

/**
 * The package's README.md for `spec`.
 *
 * @example
 * import { torchPackageReadme } from './src/export/torch/readme.ts'
 * // torchPackageReadme(pkg.spec).startsWith('# dcgan for PyTorch') // true
 * @since 0.3.0
 * @category export
 */
export const torchPackageReadme = (spec: TorchSpec): string => {
  const name = spec.run.recipe.name
  const batch = typeof spec.run.config['batch'] === 'number' ? spec.run.config['batch'] : 64
  return `# ${name} for PyTorch

Exported by ganfp ${spec.library.version} from the ${name} recipe (\`${spec.run.recipe.module}\`): the same
GAN, as \`torch.nn\` modules built from \`spec.json\`, starting from the parameters ganfp initialises
for seed ${spec.run.seed} (\`${spec.initialCheckpoint}\`, a ganfp checkpoint).

Train it on one machine with N processes (one per GPU, or CPU processes with gloo):

    torchrun --nproc_per_node N train.py --steps 2000 --out runs/${name} --batch-size ${batch}

\`--batch-size\` is the global batch, split over the processes. The run directory is a ganfp run:

    ganfp sample runs/${name}
    ganfp eval runs/${name}
    ganfp resume runs/${name} --steps 4000

Needs Python 3.8+, PyTorch and NumPy. \`python train.py --help\` lists every option. Several
machines: the usual torchrun rendezvous (\`--nnodes\`, \`--rdzv_endpoint\`); see ganfp's docs/SCALE.md.

Debian 12's PyTorch 1.13 on Python 3.11 (\`apt install python3-torch\`): its torchrun cannot parse
its own default \`--redirects 0\` (an \`AttributeError\` in \`to_map\` before \`train.py\` starts);
add \`--redirects 1 --tee 1\` after \`--nproc_per_node N\`. Newer PyTorch needs nothing.
`
}
