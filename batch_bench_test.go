package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// batchCorpus is n JSON lines cycling through the transaction fixtures:
// unsigned signing payloads of every type (signed fixtures with their
// signature stripped, so no sender recovery runs) and requests, bare and
// in envelopes.
func batchCorpus(t testing.TB, n int) []byte {
	var lines [][]byte
	for _, pattern := range []string{"fixtures/tx/*.hex", "fixtures/calls/*.hex", "fixtures/benign/*.hex"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			raw := readHex(t, f)
			if !strings.Contains(f, "unsigned") {
				raw = stripSignature(t, raw)
			}
			if raw != nil {
				lines = append(lines, []byte(strconv.Quote(hexutil.Encode(raw))))
			}
		}
	}
	for _, pattern := range []string{"fixtures/request/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			compact.Write(bytes.Join(bytes.Fields(b), []byte(" ")))
			lines = append(lines, compact.Bytes())
		}
	}
	var out bytes.Buffer
	for i := range n {
		out.Write(lines[i%len(lines)])
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func readHex(t testing.TB, f string) []byte {
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return hexutil.MustDecode(strings.TrimSpace(string(b)))
}

// stripSignature turns a signed typed transaction into its signing
// payload; legacy and network-form blob transactions are left out.
func stripSignature(t testing.TB, raw []byte) []byte {
	if len(raw) == 0 || raw[0] >= 0xc0 || raw[0] == 0x03 {
		return nil
	}
	var fields []rlp.RawValue
	if err := rlp.DecodeBytes(raw[1:], &fields); err != nil {
		t.Fatal(err)
	}
	b, err := rlp.EncodeToBytes(fields[:len(fields)-3])
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte{raw[0]}, b...)
}

// BenchmarkCheckBatch runs `txguard check --no-llm --batch` in-process over
// 10,000 mixed inputs and reports inputs per second. Run it on one core:
// go test -run '^$' -bench CheckBatch -cpu 1 .
func BenchmarkCheckBatch(b *testing.B) {
	const n = 10_000
	in := batchCorpus(b, n)
	args := []string{"txguard", "check", "--no-llm", "--batch", "--fail-on", "critical", "--addressbook", "fixtures/addressbook"}
	if code := run(args, bytes.NewReader(in), io.Discard, io.Discard, noTerminal); code > exitBlocked {
		b.Fatalf("exit %d", code)
	}
	b.ResetTimer()
	for b.Loop() {
		run(args, bytes.NewReader(in), io.Discard, io.Discard, noTerminal)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkCheckOne is decode and rules for one unsigned payload, by kind
// of call, to see where batch time goes.
func BenchmarkCheckOne(b *testing.B) {
	for _, name := range []string{"calls/erc20-transfer", "calls/universal-router-swap", "calls/safe-delegatecall-multisend", "tx/dynamicfee-signed"} {
		raw := []byte(hexutil.Encode(stripSignature(b, readHex(b, "fixtures/"+name+".hex"))))
		b.Run(filepath.Base(name), func(b *testing.B) {
			opts, cfg := decode.Options{}, guard.Config{}
			for b.Loop() {
				res, err := decode.Decode(raw, opts)
				if err != nil {
					b.Fatal(err)
				}
				guard.Check(res, cfg)
			}
		})
	}
}
