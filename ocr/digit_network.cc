#include "ocr/digit_network.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace c1tally::ocr {
namespace {

constexpr int kSide = kCellSide;         // 28: first convolution
constexpr int kHalf = kCellSide / 2;     // 14: second convolution
constexpr int kQuarter = kCellSide / 4;  // 7: after the second pool
constexpr int kPad = DigitNetwork::kKernel / 2;
constexpr int kTaps = DigitNetwork::kKernel * DigitNetwork::kKernel;
constexpr int kFlat = kQuarter * kQuarter * DigitNetwork::kConv2;

// y[i] += a * x[i]; the loops below are written so that their innermost
// step is this, which the compiler vectorises.
inline void Axpy(float a, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

// Calls f(tap, input position) for each kernel tap of output (y, x) of a
// "same" convolution over a side×side image, skipping the padding.
template <typename F>
void ForEachTap(int y, int x, int side, F&& f) {
  for (int ky = 0; ky < DigitNetwork::kKernel; ++ky) {
    const int iy = y + ky - kPad;
    if (iy < 0 || iy >= side) continue;
    for (int kx = 0; kx < DigitNetwork::kKernel; ++kx) {
      const int ix = x + kx - kPad;
      if (ix >= 0 && ix < side)
        f(ky * DigitNetwork::kKernel + kx, iy * side + ix);
    }
  }
}

// "Same" 5×5 convolution of an HWC `in` (side×side×cin) into `out`
// (side×side×cout), then ReLU.
void ConvForward(const float* in, int side, int cin, const cv::Mat& w,
                 const cv::Mat& b, float* out) {
  const int cout = w.cols;
  const float* weights = w.ptr<float>(0);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      float* o = out + (y * side + x) * cout;
      std::copy(b.ptr<float>(0), b.ptr<float>(0) + cout, o);
      ForEachTap(y, x, side, [&](int tap, int at) {
        const float* i = in + at * cin;
        const float* wt = weights + tap * cin * cout;
        for (int c = 0; c < cin; ++c) {
          if (i[c] != 0) Axpy(i[c], wt + c * cout, o, cout);
        }
      });
      for (int c = 0; c < cout; ++c) o[c] = std::max(o[c], 0.0f);
    }
  }
}

// Gradient of ConvForward given `dz` (the gradient at the output with the
// ReLU already applied): adds to `gw`/`gb` and, when `din` is set, writes
// the gradient at the input. `wt` is w transposed per tap: rows
// tap·cout + o, columns cin.
void ConvBackward(const float* in, int side, int cin, const cv::Mat& wt,
                  const float* dz, int cout, cv::Mat* gw, cv::Mat* gb,
                  float* din) {
  float* gweights = gw->ptr<float>(0);
  float* gbias = gb->ptr<float>(0);
  if (din != nullptr) std::fill(din, din + side * side * cin, 0.0f);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const float* d = dz + (y * side + x) * cout;
      Axpy(1.0f, d, gbias, cout);
      ForEachTap(y, x, side, [&](int tap, int at) {
        const float* i = in + at * cin;
        float* g = gweights + tap * cin * cout;
        for (int c = 0; c < cin; ++c) {
          if (i[c] != 0) Axpy(i[c], d, g + c * cout, cout);
        }
        if (din == nullptr) return;
        float* di = din + at * cin;
        for (int o = 0; o < cout; ++o) {
          if (d[o] != 0) Axpy(d[o], wt.ptr<float>(tap * cout + o), di, cin);
        }
      });
    }
  }
}

// 2×2 max pool of HWC `in` (side×side×c); `from` gets the input index each
// output came from.
void PoolForward(const float* in, int side, int c, float* out, int* from) {
  const int half = side / 2;
  for (int y = 0; y < half; ++y) {
    for (int x = 0; x < half; ++x) {
      for (int k = 0; k < c; ++k) {
        int best = ((2 * y) * side + 2 * x) * c + k;
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            const int at = ((2 * y + dy) * side + 2 * x + dx) * c + k;
            if (in[at] > in[best]) best = at;
          }
        }
        out[(y * half + x) * c + k] = in[best];
        from[(y * half + x) * c + k] = best;
      }
    }
  }
}

// out = ReLU?(b + in · w) for one row.
void DenseForward(const float* in, const cv::Mat& w, const cv::Mat& b,
                  bool relu, float* out) {
  std::copy(b.ptr<float>(0), b.ptr<float>(0) + w.cols, out);
  for (int k = 0; k < w.rows; ++k) {
    if (in[k] != 0) Axpy(in[k], w.ptr<float>(k), out, w.cols);
  }
  if (relu) {
    for (int c = 0; c < w.cols; ++c) out[c] = std::max(out[c], 0.0f);
  }
}

// Adds the gradient of DenseForward for output gradient `dz` and writes the
// input gradient to `din` when set.
void DenseBackward(const float* in, const cv::Mat& w, const float* dz,
                   cv::Mat* gw, cv::Mat* gb, float* din) {
  Axpy(1.0f, dz, gb->ptr<float>(0), w.cols);
  for (int k = 0; k < w.rows; ++k) {
    if (in[k] != 0) Axpy(in[k], dz, gw->ptr<float>(k), w.cols);
    if (din != nullptr) {
      const float* wk = w.ptr<float>(k);
      float s = 0;
      for (int c = 0; c < w.cols; ++c) s += wk[c] * dz[c];
      din[k] = s;
    }
  }
}

cv::Mat He(int fan_in, int cols, cv::RNG* rng) {
  cv::Mat w(fan_in, cols, CV_32F);
  rng->fill(w, cv::RNG::NORMAL, 0.0, std::sqrt(2.0 / fan_in));
  return w;
}

// Per tap, the convolution weights with input and output swapped (see
// ConvBackward).
cv::Mat TransposePerTap(const cv::Mat& w, int cin) {
  const int cout = w.cols;
  cv::Mat t(kTaps * cout, cin, CV_32F);
  for (int tap = 0; tap < kTaps; ++tap) {
    for (int c = 0; c < cin; ++c) {
      const float* row = w.ptr<float>(tap * cin + c);
      for (int o = 0; o < cout; ++o) t.at<float>(tap * cout + o, c) = row[o];
    }
  }
  return t;
}

const char* const kNames[] = {"conv1_w",  "conv1_b",  "conv2_w",  "conv2_b",
                              "dense1_w", "dense1_b", "dense2_w", "dense2_b"};

}  // namespace

struct DigitNetwork::Activations {
  std::vector<float> a1 = std::vector<float>(kSide * kSide * kConv1);
  std::vector<float> p1 = std::vector<float>(kHalf * kHalf * kConv1);
  std::vector<int> from1 = std::vector<int>(kHalf * kHalf * kConv1);
  std::vector<float> a2 = std::vector<float>(kHalf * kHalf * kConv2);
  std::vector<float> p2 = std::vector<float>(kFlat);
  std::vector<int> from2 = std::vector<int>(kFlat);
  std::vector<float> a3 = std::vector<float>(kHidden);
  std::vector<float> logits = std::vector<float>(kOutputs);
};

cv::Mat DigitNetwork::Input(const PreparedCell& cell) {
  cv::Mat in(1, kInputSize, CV_32F);
  float* p = in.ptr<float>(0);
  for (int i = 0; i < kSide * kSide; ++i) {
    p[i * kPlanes] = cell.digit.ptr<float>(0)[i];
    p[i * kPlanes + 1] = cell.box_ink.ptr<float>(0)[i];
  }
  return in;
}

DigitNetwork DigitNetwork::Random(uint64_t seed) {
  cv::RNG rng(seed);
  DigitNetwork n;
  n.conv1_w_ = He(kTaps * kPlanes, kConv1, &rng);
  n.conv1_b_ = cv::Mat::zeros(1, kConv1, CV_32F);
  n.conv2_w_ = He(kTaps * kConv1, kConv2, &rng);
  n.conv2_b_ = cv::Mat::zeros(1, kConv2, CV_32F);
  n.dense1_w_ = He(kFlat, kHidden, &rng);
  n.dense1_b_ = cv::Mat::zeros(1, kHidden, CV_32F);
  n.dense2_w_ = He(kHidden, kOutputs, &rng);
  n.dense2_b_ = cv::Mat::zeros(1, kOutputs, CV_32F);
  return n;
}

DigitNetwork DigitNetwork::Zeros() {
  DigitNetwork n = Random(0);
  for (cv::Mat* m : n.Parameters()) m->setTo(0);
  return n;
}

DigitNetwork DigitNetwork::Clone() const {
  DigitNetwork n;
  std::vector<cv::Mat*> to = n.Parameters();
  std::vector<const cv::Mat*> from = Parameters();
  for (size_t i = 0; i < to.size(); ++i) *to[i] = from[i]->clone();
  return n;
}

std::vector<cv::Mat*> DigitNetwork::Parameters() {
  return {&conv1_w_,  &conv1_b_,  &conv2_w_,  &conv2_b_,
          &dense1_w_, &dense1_b_, &dense2_w_, &dense2_b_};
}

std::vector<const cv::Mat*> DigitNetwork::Parameters() const {
  return {&conv1_w_,  &conv1_b_,  &conv2_w_,  &conv2_b_,
          &dense1_w_, &dense1_b_, &dense2_w_, &dense2_b_};
}

void DigitNetwork::Forward(const float* input, Activations* a) const {
  ConvForward(input, kSide, kPlanes, conv1_w_, conv1_b_, a->a1.data());
  PoolForward(a->a1.data(), kSide, kConv1, a->p1.data(), a->from1.data());
  ConvForward(a->p1.data(), kHalf, kConv1, conv2_w_, conv2_b_, a->a2.data());
  PoolForward(a->a2.data(), kHalf, kConv2, a->p2.data(), a->from2.data());
  DenseForward(a->p2.data(), dense1_w_, dense1_b_, true, a->a3.data());
  DenseForward(a->a3.data(), dense2_w_, dense2_b_, false, a->logits.data());
}

cv::Mat DigitNetwork::Logits(const cv::Mat& inputs) const {
  cv::Mat out(inputs.rows, kOutputs, CV_32F);
  Activations a;
  for (int r = 0; r < inputs.rows; ++r) {
    Forward(inputs.ptr<float>(r), &a);
    std::copy(a.logits.begin(), a.logits.end(), out.ptr<float>(r));
  }
  return out;
}

double DigitNetwork::AddGradient(const cv::Mat& inputs,
                                 const std::vector<int>& labels,
                                 DigitNetwork* g) const {
  const cv::Mat conv2_t = TransposePerTap(conv2_w_, kConv1);
  Activations a;
  std::vector<float> d2(kOutputs), d3(kHidden), dflat(kFlat);
  std::vector<float> da2(kHalf * kHalf * kConv2), dp1(kHalf * kHalf * kConv1);
  std::vector<float> da1(kSide * kSide * kConv1);
  double loss = 0;
  for (int r = 0; r < inputs.rows; ++r) {
    const float* input = inputs.ptr<float>(r);
    Forward(input, &a);
    // Softmax cross-entropy: the gradient at the logits is p - onehot.
    const float top = *std::max_element(a.logits.begin(), a.logits.end());
    double sum = 0;
    for (int k = 0; k < kOutputs; ++k) sum += std::exp(a.logits[k] - top);
    for (int k = 0; k < kOutputs; ++k) {
      d2[k] = static_cast<float>(std::exp(a.logits[k] - top) / sum);
    }
    loss -= std::log(std::max(1e-30, static_cast<double>(d2[labels[r]])));
    d2[labels[r]] -= 1.0f;

    DenseBackward(a.a3.data(), dense2_w_, d2.data(), &g->dense2_w_,
                  &g->dense2_b_, d3.data());
    for (int k = 0; k < kHidden; ++k) {
      if (a.a3[k] <= 0) d3[k] = 0;
    }
    DenseBackward(a.p2.data(), dense1_w_, d3.data(), &g->dense1_w_,
                  &g->dense1_b_, dflat.data());
    std::fill(da2.begin(), da2.end(), 0.0f);
    for (int i = 0; i < kFlat; ++i) da2[a.from2[i]] += dflat[i];
    for (size_t i = 0; i < da2.size(); ++i) {
      if (a.a2[i] <= 0) da2[i] = 0;
    }
    ConvBackward(a.p1.data(), kHalf, kConv1, conv2_t, da2.data(), kConv2,
                 &g->conv2_w_, &g->conv2_b_, dp1.data());
    std::fill(da1.begin(), da1.end(), 0.0f);
    for (size_t i = 0; i < dp1.size(); ++i) da1[a.from1[i]] += dp1[i];
    for (size_t i = 0; i < da1.size(); ++i) {
      if (a.a1[i] <= 0) da1[i] = 0;
    }
    ConvBackward(input, kSide, kPlanes, cv::Mat(), da1.data(), kConv1,
                 &g->conv1_w_, &g->conv1_b_, nullptr);
  }
  return loss;
}

absl::Status DigitNetwork::Save(const std::string& path) const {
  try {
    cv::FileStorage fs(path, cv::FileStorage::WRITE);
    if (!fs.isOpened()) {
      return absl::InternalError(absl::StrCat("cannot write ", path));
    }
    std::vector<const cv::Mat*> p = Parameters();
    for (size_t i = 0; i < p.size(); ++i) fs << kNames[i] << *p[i];
    fs.release();
    return absl::OkStatus();
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("writing ", path, ": ", e.what()));
  }
}

absl::StatusOr<DigitNetwork> DigitNetwork::Load(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat("no weights file ", path));
  }
  DigitNetwork expected = Zeros();
  DigitNetwork n = Zeros();
  try {
    cv::FileStorage fs(path, cv::FileStorage::READ);
    if (!fs.isOpened()) {
      return absl::DataLossError(absl::StrCat(path, ": not readable"));
    }
    std::vector<cv::Mat*> p = n.Parameters();
    std::vector<cv::Mat*> shapes = expected.Parameters();
    for (size_t i = 0; i < p.size(); ++i) {
      fs[kNames[i]] >> *p[i];
      if (p[i]->type() != CV_32F || p[i]->size() != shapes[i]->size()) {
        return absl::DataLossError(
            absl::StrCat(path, ": ", kNames[i], " is not this network's"));
      }
    }
  } catch (const cv::Exception& e) {
    return absl::DataLossError(absl::StrCat(path, ": ", e.what()));
  }
  return n;
}

}  // namespace c1tally::ocr
