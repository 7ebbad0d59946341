// The reader: one long-lived native thread that reads the lab's ends of captured output
// pipes in large pieces and hands them on. Reading a pipe through libuv (net.Socket)
// costs a JS callback and a Buffer per 64 KiB at most; here a stream's bytes are
// gathered into chunks of up to kChunkBytes, so a child writing hundreds of MiB costs
// JS a few hundred callbacks, not thousands. Only reads: it never clones, waits or
// ptraces (that is the spawner's), and it never blocks the JS thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace proclab {

constexpr size_t kChunkBytes = 1 << 20;

// Where a stream's bytes go. Called on the reader thread; end() is the last call.
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  // data ends on a whole UTF-8 sequence (a sequence cut by the chunk's end goes with
  // the next chunk), except at the stream's end; ascii: every byte is below 0x80. The
  // sink owns data from here and gives it back with releaseChunk (from any thread).
  virtual void chunk(char* data, size_t length, bool ascii) = 0;
  // EOF (err 0), a read error (errno), or stopped by stopReading (err -1); saveErr: why
  // writing the stream's save file stopped (errno), 0 when it did not (or there is none).
  virtual void end(int err, int saveErr) = 0;
};

// Starts reading fd (which the reader then owns and closes at the end). Returns the
// stream's id. The pipe is made non-blocking and, where the kernel allows, 1 MiB large.
// named(id) runs before the reader can touch the stream (so the sink can know its id).
// saveFd (-1: none), a file open for writing that the reader then owns too: every byte
// read goes there first, exactly as read (no decoding); a failed write cuts the file back
// to the bytes written whole before it and stops the saving, not the reading. Writes
// block this thread, so a slow disk holds the child back through its full pipe.
uint32_t startReading(int fd, int saveFd, std::unique_ptr<ChunkSink> sink, const std::function<void(uint32_t)>& named);

// Starts the reader thread (idempotent).
void startReader();

// Returns a chunk's memory to the reader's pool (fresh pieces cost page faults).
void releaseChunk(char* data);

// Unmaps a chunk that was given away (a string's storage, at its finalization).
void freeChunk(char* data);

// Stops a stream early: what was read so far is delivered, then end(-1). No-op once ended.
void stopReading(uint32_t id);

}  // namespace proclab
