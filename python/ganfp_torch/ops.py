"""The operations ganfp's layers run, on NHWC tensors, with TensorFlow's geometry.

ganfp keeps images channels last (NHWC) and its kernels in TensorFlow's layouts: conv2d
``[kh, kw, in, out]``, transposed conv2d ``[kh, kw, out, in]``. Activations stay NHWC here too, so
reshapes, flattens and packs mean what they mean in ganfp; each convolution permutes to NCHW and
back around torch's kernel (on a GPU the permuted tensor is channels-last in memory, which cuDNN
takes as it is). ``same`` padding is TensorFlow's: the output is ceil(size / stride) and the
padding, when odd, puts the extra row and column after, which torch's symmetric padding cannot
say, so it is an explicit ``F.pad``.
"""

import torch
import torch.nn.functional as F


def same_padding(size, kernel, stride):
    """TensorFlow's ``same`` padding before and after, for one axis."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _nchw(x):
    return x.permute(0, 3, 1, 2)


def _nhwc(x):
    return x.permute(0, 2, 3, 1)


def conv2d(x, kernel, bias, strides, padding):
    """TensorFlow's conv2d: x ``[n, h, w, in]``, kernel ``[kh, kw, in, out]``."""
    kh, kw = kernel.shape[0], kernel.shape[1]
    xc = _nchw(x)
    if padding == 'same':
        top, bottom = same_padding(x.shape[1], kh, strides[0])
        left, right = same_padding(x.shape[2], kw, strides[1])
        if top or bottom or left or right:
            xc = F.pad(xc, (left, right, top, bottom))
    return _nhwc(F.conv2d(xc, kernel.permute(3, 2, 0, 1), bias, stride=tuple(strides)))


def conv2d_transpose_size(size, kernel, stride, padding):
    """Keras's ``deconv_output_length``, as ganfp's shape rule: ``same`` multiplies by the stride."""
    return size * stride if padding == 'same' else size * stride + max(kernel - stride, 0)


def conv2d_transpose(x, kernel, bias, strides, padding):
    """TensorFlow's conv2d_transpose (the input gradient of conv2d): kernel ``[kh, kw, out, in]``.

    torch's unpadded transposed convolution gives every output position, ``(h - 1)·s + k`` rows;
    TensorFlow's keeps the rows from the forward convolution's top padding on, as many as the
    output has, and zeros past the end when the kernel is shorter than the stride.
    """
    n, h, w, _ = x.shape
    kh, kw = kernel.shape[0], kernel.shape[1]
    sh, sw = strides
    out_h = conv2d_transpose_size(h, kh, sh, padding)
    out_w = conv2d_transpose_size(w, kw, sw, padding)
    top = max((h - 1) * sh + kh - out_h, 0) // 2 if padding == 'same' else 0
    left = max((w - 1) * sw + kw - out_w, 0) // 2 if padding == 'same' else 0
    full = F.conv_transpose2d(_nchw(x), kernel.permute(3, 2, 0, 1), None, stride=(sh, sw))
    short_h = top + out_h - full.shape[2]
    short_w = left + out_w - full.shape[3]
    if short_h > 0 or short_w > 0:
        full = F.pad(full, (0, max(short_w, 0), 0, max(short_h, 0)))
    y = _nhwc(full[:, :, top:top + out_h, left:left + out_w])
    return y if bias is None else y + bias


def avg_pool(x, pool, strides, padding):
    """TensorFlow's average pooling: with ``same``, each window averages only the real pixels."""
    xc = _nchw(x)
    if padding == 'valid':
        return _nhwc(F.avg_pool2d(xc, tuple(pool), tuple(strides)))
    top, bottom = same_padding(x.shape[1], pool[0], strides[0])
    left, right = same_padding(x.shape[2], pool[1], strides[1])
    pads = (left, right, top, bottom)
    ones = torch.ones_like(xc[:1, :1])
    total = F.avg_pool2d(F.pad(xc, pads), tuple(pool), tuple(strides))
    count = F.avg_pool2d(F.pad(ones, pads), tuple(pool), tuple(strides))
    return _nhwc(total / count)


def depth_to_space(x, factor):
    """TensorFlow's depth_to_space: ``[n, h, w, r·r·c]`` → ``[n, h·r, w·r, c]``."""
    n, h, w, depth = x.shape
    c = depth // (factor * factor)
    y = x.reshape(n, h, w, factor, factor, c).permute(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h * factor, w * factor, c)


def upsample_nearest(x, factor):
    """Each pixel repeated ``fh × fw`` times."""
    fh, fw = factor
    return x.repeat_interleave(fh, dim=1).repeat_interleave(fw, dim=2)


def normalize(v):
    """v / max(‖v‖, 1e-12), torch's ``normalize`` and ganfp's."""
    return v / torch.clamp(torch.linalg.vector_norm(v), min=1e-12)
