/**
 * The 2-D mode's elements: controls on the left, the data view in the middle, the latent grid,
 * the figures and the curves on the right. Static markup (no value from the page is interpolated
 * into it); app.ts fills in values and wires events by id.
 */
import { dataChoices, lossChoices } from './settings.ts'

const options = (choices: ReadonlyArray<readonly [string, string]>): string =>
  choices.map(([value, label]) => `<option value="${value}">${label}</option>`).join('')

const field = (id: string, label: string, title: string): string =>
  `<div class="field"><label for="${id}" title="${title}">${label}</label><input id="${id}" name="${id}" type="text" spellcheck="false" autocomplete="off" title="${title}" /></div>`

/** The mode's markup. */
export const twoDLayout = `
<aside class="controls" aria-label="Settings">
  <fieldset>
    <legend>Data</legend>
    <div class="field"><label for="data">Real data</label><select id="data" name="data">${options(dataChoices)}</select></div>
    <div id="drawn-controls" class="drawn" hidden>
      <p class="hint">Click or drag on the data plot to add points: <output id="drawn-count">0 points</output></p>
      <button id="clear-points" type="button">Clear points</button>
    </div>
  </fieldset>
  <fieldset>
    <legend>Model</legend>
    <div class="field"><label for="loss">Loss</label><select id="loss" name="loss">${options(lossChoices)}</select></div>
    ${field('generatorWidths', 'G hidden widths', 'Widths of the generator’s hidden layers, e.g. 64,64,64 (ReLU)')}
    ${field('discriminatorWidths', 'D hidden widths', 'Widths of the discriminator’s hidden layers, e.g. 64,64,64 (leaky ReLU 0.2)')}
  </fieldset>
  <fieldset>
    <legend>Training</legend>
    ${field('generatorLearningRate', 'G learning rate', 'Adam’s learning rate for the generator (β1 = 0.5)')}
    ${field('discriminatorLearningRate', 'D learning rate', 'Adam’s learning rate for the discriminator (β1 = 0.5)')}
    ${field('discriminatorStepsPerGeneratorStep', 'D steps per G step', 'k: discriminator updates before each generator update')}
    ${field('batchSize', 'Batch size', 'Real and generated examples per update')}
    ${field('seed', 'Seed', 'Seeds the initial weights, the batches and the latents')}
    ${field('generatorAverageDecay', 'G average decay', 'Samples come from a moving average of the generator with this decay; 0 for none')}
  </fieldset>
  <div class="buttons">
    <button id="train" type="button" class="primary">Train</button>
    <button id="step" type="button">Step</button>
    <button id="reset" type="button">Reset</button>
  </div>
  <p class="note">A changed setting starts a new run at step 0.</p>
  <pre id="problems" class="problems" role="alert" hidden></pre>
</aside>
<section class="data-view" aria-label="Data view">
  <canvas id="data-canvas" aria-label="Real and generated points over the discriminator's decision surface"></canvas>
  <p class="caption">Background: the discriminator's output at each point, <span class="swatch fake"></span> judged fake to <span class="swatch real"></span> judged real.</p>
</section>
<section class="side" aria-label="Generator and training curves">
  <div class="top-row">
    <canvas id="manifold-canvas" aria-label="The generator's image of a grid of latents"></canvas>
    <dl class="readouts">
      <dt>Step</dt><dd id="step-count">0</dd>
      <dt>Steps per second</dt><dd id="steps-per-second">–</dd>
      <dt>D updates</dt><dd id="discriminator-updates">0</dd>
      <dt>Q1 modes captured</dt><dd id="q1-modes">–</dd>
      <dt>Q1 high-quality samples</dt><dd id="q1-quality">–</dd>
      <dd id="q1-note" class="note"></dd>
    </dl>
  </div>
  <canvas id="loss-canvas" aria-label="Losses over the steps"></canvas>
  <canvas id="score-canvas" aria-label="D(x) and D(G(z)) over the steps"></canvas>
</section>
`
