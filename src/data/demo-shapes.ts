/**
 * A colour image set made on the spot, for demos and tests: nothing to download and no licence to
 * check. Six classes of shape (circle, cross, ring, square, star, triangle), each image one shape
 * of random colour, size, position and rotation on a smooth two-colour gradient, anti-aliased by
 * supersampling the pixels its edge crosses. Sizes and aspect ratios vary (sides 48 to 160
 * pixels) so that a folder loader's crop and resize are exercised, and every shape lies inside the
 * centre square, which a centre crop keeps. Everything follows from one seed.
 *
 * Pure: the files themselves are written by `writeDemoShapes` in ganfp/node.
 *
 * @since 0.3.0
 */
import { Rng } from '../random.ts'

/**
 * The classes, in the order their folders sort (a folder loader's label order).
 *
 * @example
 * import { demoShapeKinds } from 'ganfp'
 * demoShapeKinds.length // 6
 * @since 0.3.0
 * @category model
 */
export const demoShapeKinds = ['circle', 'cross', 'ring', 'square', 'star', 'triangle'] as const

/**
 * One class of the demo set.
 *
 * @since 0.3.0
 * @category model
 */
export type DemoShapeKind = (typeof demoShapeKinds)[number]

/**
 * The size of an image to draw, and whether it has an alpha channel (transparent rounded corners).
 *
 * @since 0.3.0
 * @category model
 */
export interface DemoShapeSize {
  readonly height: number
  readonly width: number
  readonly alpha?: boolean
}

type Point = readonly [number, number]
type Colour = readonly [number, number, number]

/** Corners on the unit circle at `radii` in turn, the first pointing up. */
const starPolygon = (points: number, radii: ReadonlyArray<number>): ReadonlyArray<Point> =>
  Array.from({ length: points * radii.length }, (_, i) => {
    const angle = -Math.PI / 2 + (i * Math.PI * 2) / (points * radii.length)
    const r = radii[i % radii.length]!
    return [r * Math.cos(angle), r * Math.sin(angle)] as const
  })

const arm = 0.3
const reach = 0.92
/** Outlines within the unit circle; circle and ring are drawn from their radii instead. */
const outlines: Readonly<Record<Exclude<DemoShapeKind, 'circle' | 'ring'>, ReadonlyArray<Point>>> = {
  triangle: starPolygon(3, [1]),
  // Every shape is turned at random, so the square may start as a diamond.
  square: starPolygon(4, [1]),
  star: starPolygon(5, [1, 0.45]),
  cross: [
    [arm, reach], [-arm, reach], [-arm, arm], [-reach, arm], [-reach, -arm], [-arm, -arm],
    [-arm, -reach], [arm, -reach], [arm, -arm], [reach, -arm], [reach, arm], [arm, arm],
  ],
}

/** Signed distance to a closed polygon (negative inside): exact, so 1-Lipschitz (Quílez's formula). */
const polygonDistance = (xs: Float64Array, ys: Float64Array, px: number, py: number): number => {
  const n = xs.length
  let nearest = (px - xs[0]!) ** 2 + (py - ys[0]!) ** 2
  let sign = 1
  for (let i = 0, j = n - 1; i < n; j = i, i++) {
    const ex = xs[j]! - xs[i]!
    const ey = ys[j]! - ys[i]!
    const wx = px - xs[i]!
    const wy = py - ys[i]!
    const t = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey)))
    nearest = Math.min(nearest, (wx - ex * t) ** 2 + (wy - ey * t) ** 2)
    const above = py >= ys[i]!
    const below = py < ys[j]!
    const left = ex * wy > ey * wx
    if ((above && below && left) || (!above && !below && !left)) sign = -sign
  }
  return sign * Math.sqrt(nearest)
}

/** Signed distance (pixels, negative inside) to a shape of circumradius `radius` centred on the origin, turned by `angle`. */
const shapeDistance = (kind: DemoShapeKind, radius: number, angle: number): ((x: number, y: number) => number) => {
  if (kind === 'circle') return (x, y) => Math.hypot(x, y) - 0.85 * radius
  if (kind === 'ring') return (x, y) => Math.abs(Math.hypot(x, y) - 0.72 * radius) - 0.2 * radius
  const outline = outlines[kind]
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)]
  const xs = Float64Array.from(outline, ([x, y]) => radius * (x * cos - y * sin))
  const ys = Float64Array.from(outline, ([x, y]) => radius * (x * sin + y * cos))
  return (x, y) => polygonDistance(xs, ys, x, y)
}

/** Signed distance to the image's own outline with rounded corners: where an RGBA image is opaque. */
const roundedFrameDistance = (height: number, width: number): ((x: number, y: number) => number) => {
  const corner = 0.22 * Math.min(height, width)
  const [halfWidth, halfHeight] = [width / 2 - corner, height / 2 - corner]
  return (x, y) => {
    const qx = Math.abs(x - width / 2) - halfWidth
    const qy = Math.abs(y - height / 2) - halfHeight
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - corner
  }
}

const subsamples = 4
/**
 * The share of pixel (x, y) inside the region `distance < 0`: 0 or 1 where the pixel's centre is
 * farther than its half-diagonal from the edge (a 1-Lipschitz distance cannot be nearer), else
 * the share of a 4×4 grid of points inside.
 */
const coverage = (distance: (x: number, y: number) => number, x: number, y: number): number => {
  const d = distance(x + 0.5, y + 0.5)
  if (d >= 0.75) return 0
  if (d <= -0.75) return 1
  let inside = 0
  for (let i = 0; i < subsamples; i++)
    for (let j = 0; j < subsamples; j++) if (distance(x + (i + 0.5) / subsamples, y + (j + 0.5) / subsamples) < 0) inside++
  return inside / subsamples ** 2
}

/** Hue in turns, saturation and value in [0, 1], as bytes. */
const hsv = (hue: number, saturation: number, value: number): Colour => {
  const channel = (n: number): number => {
    const k = (n + hue * 6) % 6
    return Math.round(255 * value * (1 - saturation * Math.max(0, Math.min(k, 4 - k, 1))))
  }
  return [channel(5), channel(3), channel(1)]
}

/** Distance in RGB from `p` to the segment from `a` to `b`: how far a colour is from every colour of a gradient. */
const distanceToSegment = (p: Colour, a: Colour, b: Colour): number => {
  const e = [b[0] - a[0], b[1] - a[1], b[2] - a[2]] as const
  const w = [p[0] - a[0], p[1] - a[1], p[2] - a[2]] as const
  const length = e[0] ** 2 + e[1] ** 2 + e[2] ** 2
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, (w[0] * e[0] + w[1] * e[1] + w[2] * e[2]) / length))
  return Math.hypot(w[0] - e[0] * t, w[1] - e[1] * t, w[2] - e[2] * t)
}

/** A vivid shape colour far (in RGB) from every colour of the background's gradient, so the shape always shows. */
const shapeColour = (rng: Rng, backgroundHue: number, from: Colour, to: Colour): Colour => {
  let best: Colour = [255, 255, 255]
  let bestDistance = -1
  for (let attempt = 0; attempt < 16 && bestDistance < 150; attempt++) {
    const candidate = hsv(backgroundHue + 0.25 + 0.5 * rng.uniform(), 0.55 + 0.45 * rng.uniform(), 0.55 + 0.45 * rng.uniform())
    const distance = distanceToSegment(candidate, from, to)
    if (distance > bestDistance) [best, bestDistance] = [candidate, distance]
  }
  return best
}

/**
 * Draws one image of `kind` with the randomness of `rng`: `height × width × 3` bytes (RGB), or
 * `× 4` with `alpha` (RGBA, transparent outside a rounded frame), channels last. Along each axis
 * the shape lies within 0.44 of the shorter side of the centre: a centre square crop keeps it.
 *
 * @example
 * import { Rng, renderShape } from 'ganfp'
 * renderShape('star', Rng.fromSeed(1), { height: 48, width: 64 }).length // 9216: 48 × 64 × 3
 * renderShape('ring', Rng.fromSeed(1), { height: 48, width: 48, alpha: true })[3] // 0: a transparent corner
 * @since 0.3.0
 * @category constructors
 */
export const renderShape = (kind: DemoShapeKind, rng: Rng, size: DemoShapeSize): Uint8Array => {
  const { height, width, alpha = false } = size
  const side = Math.min(height, width)
  // The background: two muted colours of nearby hues, blended along a random direction.
  const backgroundHue = rng.uniform()
  const from = hsv(backgroundHue, 0.15 + 0.5 * rng.uniform(), 0.3 + 0.65 * rng.uniform())
  const to = hsv(backgroundHue + 0.2 * (rng.uniform() - 0.5), 0.15 + 0.5 * rng.uniform(), 0.3 + 0.65 * rng.uniform())
  const direction = 2 * Math.PI * rng.uniform()
  const colour = shapeColour(rng, backgroundHue, from, to)
  const radius = side * (0.24 + 0.12 * rng.uniform())
  const [centreX, centreY] = [width / 2 + side * 0.08 * (2 * rng.uniform() - 1), height / 2 + side * 0.08 * (2 * rng.uniform() - 1)]
  const shape = shapeDistance(kind, radius, 2 * Math.PI * rng.uniform())
  const distance = (x: number, y: number): number => shape(x - centreX, y - centreY)
  const frame = alpha ? roundedFrameDistance(height, width) : undefined

  const channels = alpha ? 4 : 3
  const pixels = new Uint8Array(height * width * channels)
  const [dx, dy] = [Math.cos(direction), Math.sin(direction)]
  const extent = Math.abs(dx) * width + Math.abs(dy) * height
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const t = Math.max(0, Math.min(1, 0.5 + ((x + 0.5 - width / 2) * dx + (y + 0.5 - height / 2) * dy) / extent))
      const blend = t * t * (3 - 2 * t)
      // Outside the shape's bounding square the SDF need not be evaluated.
      const near = Math.abs(x + 0.5 - centreX) < radius + 1 && Math.abs(y + 0.5 - centreY) < radius + 1
      const covered = near ? coverage(distance, x, y) : 0
      const at = (y * width + x) * channels
      for (let c = 0; c < 3; c++) {
        const background = from[c]! + (to[c]! - from[c]!) * blend
        pixels[at + c] = Math.round(background + (colour[c]! - background) * covered)
      }
      if (frame !== undefined) pixels[at + 3] = Math.round(255 * coverage(frame, x, y))
    }
  return pixels
}

/**
 * One file of the demo set: its path inside the set's folder (`kind/kind-00012.png`), class,
 * size, format, and the seed its picture is drawn from.
 *
 * @since 0.3.0
 * @category model
 */
export interface DemoShapeFile {
  readonly path: string
  readonly kind: DemoShapeKind
  readonly label: number
  readonly height: number
  readonly width: number
  readonly format: 'png' | 'jpeg'
  readonly alpha: boolean
  readonly seed: number
}

/** Sides between these, in pixels. */
const smallestSide = 48
const largestSide = 160

/** One image of class `label`, number `index`, sized from the class's stream `rng`. */
const fileOf = (kind: DemoShapeKind, label: number, index: number, rng: Rng): DemoShapeFile => {
  const long = smallestSide + rng.int(largestSide - smallestSide + 1)
  // Two in five are not square: the short side 1.15 to 1.6 times shorter, either way round.
  const short = rng.uniform() < 0.4 ? Math.max(smallestSide, Math.round(long / (1.15 + 0.45 * rng.uniform()))) : long
  const [height, width] = rng.uniform() < 0.5 ? [long, short] : [short, long]
  // Formats by a fixed pattern, so that even ten images per class hold each: 3 in 10 JPEG, 2 in 10 RGBA PNG.
  const slot = index % 10
  const format = slot === 2 || slot === 5 || slot === 8 ? 'jpeg' : 'png'
  const alpha = slot === 3 || slot === 7
  const name = `${kind}-${String(index).padStart(5, '0')}.${format === 'jpeg' ? 'jpg' : 'png'}`
  return { path: `${kind}/${name}`, kind, label, height, width, format, alpha, seed: rng.nextUint32() }
}

/**
 * The files of a demo set of `count` images from `seed`: the classes in turn get `count / 6`
 * each (the first ones one more when it does not divide). The first images of a class are the
 * same whatever the count.
 *
 * @example
 * import { demoShapeFiles } from 'ganfp'
 * demoShapeFiles(12, 0)[0]!.path // 'circle/circle-00000.png'
 * demoShapeFiles(12, 0).filter((f) => f.kind === 'star').length // 2
 * @since 0.3.0
 * @category constructors
 */
export const demoShapeFiles = (count: number, seed: number): ReadonlyArray<DemoShapeFile> => {
  const base = Rng.fromSeed(seed)
  const streams = demoShapeKinds.map(() => base.fork())
  return demoShapeKinds.flatMap((kind, label) => {
    const inClass = Math.floor(count / demoShapeKinds.length) + (label < count % demoShapeKinds.length ? 1 : 0)
    return Array.from({ length: inClass }, (_, index) => fileOf(kind, label, index, streams[label]!))
  })
}

/**
 * The picture of one file of the demo set: RGB bytes, or RGBA for a file with `alpha`.
 *
 * @example
 * import { demoShapeFiles, renderDemoShape } from 'ganfp'
 * const [file] = demoShapeFiles(6, 0)
 * renderDemoShape(file!).length === file!.height * file!.width * 3 // true
 * @since 0.3.0
 * @category constructors
 */
export const renderDemoShape = (file: DemoShapeFile): Uint8Array =>
  renderShape(file.kind, Rng.fromSeed(file.seed), { height: file.height, width: file.width, alpha: file.alpha })
