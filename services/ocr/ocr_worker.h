// OcrWorker: the worker side of the OCR queue. Leases a job from an
// OcrJobService, reads its photo with a PageReader, reports the reading,
// and starts over; when the queue is empty or the server unreachable it
// waits a little. A worker keeps no state: kill it at any moment and the
// job it held is leased again when its lease runs out.
//
// OcrWorkers runs several on threads of one process, sharing one reader.
// The channel and the reader must outlive the workers.
#ifndef C1TALLY_SERVICES_OCR_OCR_WORKER_H_
#define C1TALLY_SERVICES_OCR_OCR_WORKER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "c1tally/v1/ocr.grpc.pb.h"
#include "grpcpp/channel.h"
#include "ocr/page_reader.h"

namespace c1tally {

class OcrWorker {
 public:
  struct Options {
    // Shown in the queue's lease records.
    std::string worker_id = "worker";
    // Reading a page takes well under a second; a minute leaves room for
    // a busy machine without leaving a dead worker's job waiting long.
    absl::Duration lease = absl::Minutes(1);
    // Wait between polls of an empty queue or an unreachable server.
    absl::Duration idle_wait = absl::Milliseconds(300);
  };

  OcrWorker(std::shared_ptr<grpc::Channel> channel,
            const ocr::PageReader* reader, Options options);

  // Leases and handles one job. False when none was waiting; an error when
  // the server could not be asked or refused the report.
  absl::StatusOr<bool> RunOnce();

  // Handles jobs until `stop` is notified.
  void Run(absl::Notification* stop);

  int64_t jobs_done() const { return jobs_done_.load(); }

 private:
  std::unique_ptr<v1::OcrJobService::Stub> stub_;
  const ocr::PageReader* reader_;
  Options options_;
  std::atomic<int64_t> jobs_done_{0};
};

// `count` workers on their own threads until Stop() or destruction.
class OcrWorkers {
 public:
  OcrWorkers(std::shared_ptr<grpc::Channel> channel,
             std::unique_ptr<ocr::PageReader> reader, int count,
             const OcrWorker::Options& options);
  ~OcrWorkers();
  OcrWorkers(const OcrWorkers&) = delete;
  OcrWorkers& operator=(const OcrWorkers&) = delete;

  // Lets each worker finish its current job, then joins them. Idempotent.
  void Stop();

  int64_t jobs_done() const;

 private:
  std::unique_ptr<ocr::PageReader> reader_;
  std::vector<std::unique_ptr<OcrWorker>> workers_;
  std::vector<std::thread> threads_;
  absl::Notification stop_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_OCR_OCR_WORKER_H_
