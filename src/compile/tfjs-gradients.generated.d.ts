// Side-effect module: registers tfjs-core's gradients and chained ops. See scripts/bundle-tfjs-gradients.mjs.
export {}
