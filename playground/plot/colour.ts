/**
 * Colour maps for heat maps: values in [0, 1] to RGB. The diverging map runs from purple (what the
 * discriminator calls fake) through white to green (what it calls real), in tints light enough
 * that points drawn over it stay readable.
 */

/** An RGB triple, each channel in [0, 255]. */
export type Rgb = readonly [number, number, number]

/** A colour map: `t` in [0, 1] (clamped) to a colour. */
export type ColourMap = (t: number) => Rgb

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t

/** A colour map interpolating linearly between evenly spaced `stops`. */
export const colourMapOf =
  (stops: ReadonlyArray<Rgb>): ColourMap =>
  (t) => {
    const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5
    const position = clamped * (stops.length - 1)
    const i = Math.min(stops.length - 2, Math.floor(position))
    const [a, b] = [stops[i]!, stops[i + 1]!]
    const f = position - i
    return [lerp(a[0], b[0], f), lerp(a[1], b[1], f), lerp(a[2], b[2], f)]
  }

/** ColorBrewer's PRGn, lightened a third toward white. */
export const fakeToReal: ColourMap = colourMapOf(
  ([
    [118, 42, 131],
    [175, 141, 195],
    [247, 247, 247],
    [127, 191, 123],
    [27, 120, 55],
  ] as ReadonlyArray<Rgb>).map(([r, g, b]): Rgb => [lerp(r, 255, 0.38), lerp(g, 255, 0.38), lerp(b, 255, 0.38)]),
)

/** `rgb(…)` for a canvas style. */
export const cssColour = ([r, g, b]: Rgb): string => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`
