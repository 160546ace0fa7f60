/**
 * The image mode's elements: controls on the left (where the model comes from, the checkpoint or
 * the page's training run, and the sample controls), the sample view in the middle, and on the
 * right the interpolation strips with the run's details or its training curves. Static markup;
 * app.ts fills in values and wires events by id.
 */
import { trainingWidths } from './training.ts'

const field = (id: string, label: string, title: string, input = `<input id="${id}" type="text" inputmode="numeric" spellcheck="false" autocomplete="off" />`): string =>
  `<div class="field"><label for="${id}" title="${title}">${label}</label>${input}</div>`

/** The mode's markup. */
export const imageLayout = `
<aside class="controls" aria-label="Image settings">
  <fieldset>
    <legend>Model</legend>
    <div class="segmented" role="radiogroup" aria-label="Model">
      <label><input type="radio" name="image-source" id="source-checkpoint" value="checkpoint" checked /> A checkpoint</label>
      <label><input type="radio" name="image-source" id="source-train" value="train" /> Train here</label>
    </div>
  </fieldset>
  <fieldset id="checkpoint-controls">
    <legend>Checkpoint of <code>ganfp train</code></legend>
    <label class="block" for="checkpoint-files">Files</label>
    <input id="checkpoint-files" type="file" multiple accept=".json,.bin,.ganfp" />
    <p class="note">Pick <code>manifest.json</code> and <code>tensors.bin</code> of a run's <code>checkpoints/step-…/</code> folder, or one <code>.ganfp</code> file.</p>
    <label class="block" for="checkpoint-url">or a URL (folder or .ganfp)</label>
    <div class="url-row">
      <input id="checkpoint-url" type="text" spellcheck="false" autocomplete="off" placeholder="https://…/checkpoints/step-00002000" />
      <button id="load-url" type="button">Load</button>
    </div>
    <p class="note">Runs of the built-in recipes: dcgan, cgan, srgan, vanilla.</p>
  </fieldset>
  <fieldset id="train-controls" hidden>
    <legend>A small MNIST DCGAN, trained here</legend>
    ${field('train-width', 'Width', 'Channels of the last generator block (the DCGAN recipe’s --width)', `<select id="train-width">${trainingWidths.map((w) => `<option value="${w}">${w}</option>`).join('')}</select>`)}
    ${field('train-batch', 'Batch size', 'Real and generated images per update')}
    ${field('train-seed', 'Training seed', 'Seeds the initial weights and the batches')}
    <div class="buttons">
      <button id="train" type="button" class="primary">Train</button>
      <button id="step" type="button">Step</button>
      <button id="reset" type="button">Reset</button>
    </div>
    <div class="buttons"><button id="save-checkpoint" type="button" title="Download the run as one .ganfp file: the checkpoint format of ganfp train, loadable here and by checkpointFromBytes">Save checkpoint</button></div>
    <p class="note" id="data-note">Data: MNIST's 2,000 held-out digits.</p>
  </fieldset>
  <fieldset id="sample-controls">
    <legend>Samples</legend>
    ${field('sample-seed', 'Seed', 'The seed of the latents of the sample grid')}
    <div class="buttons"><button id="new-samples" type="button">New samples</button></div>
    ${field('strip-to', 'Interpolate to seed', 'The strips run from the grid’s seed to this seed')}
    <div id="strip-class-field">${field('strip-class', 'Strip class', 'The class every image of the strip is drawn for', '<select id="strip-class"></select>')}</div>
  </fieldset>
  <pre id="image-problems" class="problems" role="alert" hidden></pre>
</aside>
<section class="image-view" aria-label="Samples">
  <canvas id="grid-canvas" aria-label="Sample grid"></canvas>
  <p class="caption" id="grid-caption"></p>
</section>
<section class="side image-side" aria-label="Interpolation and run">
  <canvas id="strip-canvas" aria-label="Latent interpolation strips"></canvas>
  <div id="run-card" class="card">
    <h2 id="run-title">No checkpoint loaded</h2>
    <p id="run-source" class="note"></p>
    <dl id="run-details" class="details"></dl>
  </div>
  <div id="train-card" hidden>
    <dl class="readouts inline">
      <div><dt>Step</dt><dd id="train-step">0</dd></div>
      <div><dt>Steps per second</dt><dd id="train-rate">–</dd></div>
      <div><dt>Backend</dt><dd id="train-backend">–</dd></div>
    </dl>
    <canvas id="train-loss-canvas" aria-label="Losses over the steps"></canvas>
    <canvas id="train-score-canvas" aria-label="D(x) and D(G(z)) over the steps"></canvas>
  </div>
</section>
`
