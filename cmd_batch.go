package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/urfave/cli/v2"
	"golang.org/x/sync/semaphore"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
)

// A batch is a stream: one goroutine reads lines, a worker per core
// judges them, and the verdicts are written in input order as they come.
// Memory is bounded by the lines in flight, not by the input: the reader
// waits when every worker is busy and the writer is behind, so a
// million-line file takes what ten lines take (issue 17: flat RSS).
//
// Each worker judges one line at a time. The lines read ahead of the
// writer are bounded twice: by count (batchWindow per worker, enough that
// one slow line at the head does not leave the other workers idle) and by
// bytes (batchBytes: a few long lines wait for room, and a single line
// larger than the budget goes through alone), so memory stays flat
// whatever the input and however long its lines.
const (
	batchWindow = 32
	batchBytes  = 16 << 20
)

// batchJob is one input line on its way through the pipeline.
type batchJob struct {
	n    int           // line number, from 1
	line []byte        // the line, trimmed; nil when err is set
	buf  *bytes.Buffer // holds line, from batchBufs; the worker puts it back
	err  error         // a line that could not be read (too long, endless)
	stop bool          // the last job: the rest of the input is not read
	out  chan batchResult
	// weight is what the line holds of the batch's byte budget.
	weight int64
}

// batchResult is a judged line: its output line, rendered.
type batchResult struct {
	n        int
	rendered *bytes.Buffer // from batchBufs; the writer puts it back
	bad      error         // could not be judged: reported on stderr too
	blocked  bool
	stop     bool
}

// batchWorkers is how many lines are judged at once: one per core the
// process may use (GOMAXPROCS follows taskset and cgroup limits).
func batchWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }

// checkBatch judges one input per line, as it is read, and writes exactly
// one whole line for each non-blank line, in input order: its verdict, or
// an error object for a line that could not be judged (also reported on
// stderr, and the exit code is then 2). A line longer than
// decode.MaxRequest is skipped to its end and reported, and the lines
// after it are still judged.
func checkBatch(c *cli.Context, in io.Reader, opts decode.Options, cfg guard.Config, failOn guard.Level) error {
	defer batchGC()()
	workers := batchWorkers()
	jobs := make(chan *batchJob, batchWindow*workers)
	order := make(chan *batchJob, batchWindow*workers)
	room := semaphore.NewWeighted(batchBytes)
	readErr := make(chan error, 1)
	ctx, stop := context.WithCancel(context.Background()) // cancelled when the writer stops early
	defer stop()
	go func() { readErr <- readBatch(ctx, in, jobs, order, room) }()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := judgeLine(j, opts, cfg, failOn)
				// The verdict is rendered, an error is kept as its text:
				// nothing refers to the line now, and its buffer can be reused.
				if j.buf != nil {
					putBatchBuf(j.buf)
				}
				j.line, j.buf = nil, nil
				j.out <- r
			}
		}()
	}

	out := bufio.NewWriterSize(c.App.Writer, 64<<10)
	var bad, blocked, lines int
	var stopped *batchResult
	var werr error
	for j := range order {
		r := <-j.out
		room.Release(j.weight)
		lines++
		if werr != nil {
			continue // drain: the reader and workers must finish
		}
		if r.bad != nil {
			bad++
			fmt.Fprintf(c.App.ErrWriter, "txguard: line %d: %s\n", r.n, decode.Escape(r.bad.Error()))
		}
		if r.blocked {
			blocked++
		}
		_, err := out.Write(r.rendered.Bytes())
		putBatchBuf(r.rendered)
		if err != nil {
			werr = err
			stop()
			continue
		}
		if r.stop {
			stopped = &r
		}
		// Flush when nothing else is ready, so a reader of a slow pipe
		// sees each verdict as soon as it is judged.
		if len(order) == 0 {
			if err := out.Flush(); err != nil {
				werr = err
				stop()
			}
		}
	}
	wg.Wait()
	if werr == nil {
		werr = out.Flush()
	}
	if werr != nil {
		return internalError(fmt.Errorf("write output: %v", werr))
	}
	if err := <-readErr; err != nil {
		return inputError(err)
	}
	switch {
	case stopped != nil:
		return inputError(fmt.Errorf("batch input, line %d: %v", stopped.n, stopped.bad))
	case bad > 0:
		return inputError(fmt.Errorf("%d of the batch's lines could not be decoded", bad))
	case blocked > 0:
		return &exitError{exitBlocked, fmt.Errorf("blocked: %d verdicts at or above --fail-on %s", blocked, failOn)}
	case lines == 0:
		// A producer that failed upstream leaves nothing: a gate must not
		// read that as "all judged and passed".
		return inputError(fmt.Errorf("the batch input holds no line to judge"))
	}
	return nil
}

// readBatch reads lines into jobs (for the workers) and order (for the
// writer, in input order), and closes both at the end. It returns a read
// error, after which nothing more is read.
func readBatch(ctx context.Context, in io.Reader, jobs, order chan<- *batchJob, room *semaphore.Weighted) error {
	defer close(order)
	defer close(jobs)
	lines := newLineReader(in, decode.MaxRequest)
	for n := 1; ; n++ {
		raw, err := lines.next()
		if err == io.EOF {
			return nil
		}
		j := &batchJob{n: n, out: make(chan batchResult, 1)}
		switch {
		case errors.Is(err, errLongLine):
			j.err = fmt.Errorf("the line is longer than %d MiB, and no signing request is that long", decode.MaxRequest>>20)
		case errors.Is(err, errEndless):
			j.err = fmt.Errorf("the line runs past %d MiB without ending: the rest of the input is not read", maxDiscard>>20)
			j.stop = true
		case err != nil:
			return fmt.Errorf("batch input, line %d: %v", n, err)
		default:
			line := decode.TrimInvisible(raw)
			if len(line) == 0 {
				continue // blank, Unicode spaces and format characters included, as detection sees it
			}
			// The reader's buffer is reused for the next line.
			j.buf = getBatchBuf()
			j.buf.Write(line)
			j.line = j.buf.Bytes()
		}
		// Room first (the writer releases it), then order: the writer
		// waits on this job's result in that order.
		j.weight = min(int64(len(j.line))+1, batchBytes)
		if room.Acquire(ctx, j.weight) != nil {
			return nil // the writer stopped
		}
		select {
		case order <- j:
		case <-ctx.Done():
			room.Release(j.weight)
			return nil
		}
		jobs <- j
		if j.stop {
			return nil
		}
	}
}

// judgeLine decodes, checks and renders one line.
func judgeLine(j *batchJob, opts decode.Options, cfg guard.Config, failOn guard.Level) batchResult {
	r := batchResult{n: j.n, bad: j.err, stop: j.stop}
	b := getBatchBuf()
	if r.bad == nil {
		res, err := decode.Decode(j.line, opts)
		if err == nil {
			err = checkable(res)
		}
		if err != nil {
			r.bad = err
		} else {
			v := guard.Check(res, cfg)
			v.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--batch: rules only"})
			r.blocked = v.Level >= failOn
			if err := report.BatchLine(b, j.n, v); err != nil {
				r.bad = fmt.Errorf("render the verdict: %v", err)
			}
		}
	}
	if r.bad != nil {
		// As text for a person, like a single run's error (no Go package
		// prefixes), and so referring to no part of the line.
		r.bad = errors.New(userMessage(r.bad.Error()))
		b.Reset()
		report.BatchError(b, j.n, r.bad) // a bytes.Buffer does not fail
	}
	r.rendered = b
	return r
}

// batchBufs recycles the buffers of input lines and rendered verdicts: a
// line and its verdict are a few KiB each, and allocating them anew for
// every line was a tenth of a batch's garbage (and so of its collections).
var batchBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled keeps a blob transaction's line (256 KiB of hex) or a larger
// one out of the pool, so that what the pool holds stays small.
const maxPooled = 64 << 10

func getBatchBuf() *bytes.Buffer { return batchBufs.Get().(*bytes.Buffer) }

func putBatchBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		b.Reset()
		batchBufs.Put(b)
	}
}

// batchGC tunes the collector for a batch and returns what restores it.
// A batch's live heap is small (the lines in flight, the label tables),
// so with the default GOGC=100 the heap goal sits at the 4 MiB minimum and
// the collector runs every few dozen lines (GODEBUG=gctrace=1: 175
// collections for 10,000 lines). A larger GOGC under a soft memory limit
// collects a fraction as often for about the same peak RSS (measured on
// 10k lines, 1 core: 5-15 % less time, +3 MiB peak RSS). GOGC or
// GOMEMLIMIT in the environment is the user's choice, and left alone.
func batchGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(batchHeapLimit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// batchHeapLimit is the soft limit of the Go heap during a batch: a few
// times the live heap of ordinary lines. Long lines (the byte budget)
// can take the heap over it; the collector then runs more often, and
// memory stays bounded by the budget, not by this. At 16 MiB the runtime's
// own share left a heap goal of ~7 MiB and two workers collected every
// ~100 lines (510 collections for 50k lines, 158 at 20 MiB); peak RSS
// stays under 50 MiB, 20 of it the binary's mapped code.
const batchHeapLimit = 20 << 20
