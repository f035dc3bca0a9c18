package typeddata

import "fmt"

// The Field tree is what txguard shows and the rules walk, and its size is
// not the input's. A struct member that is absent is still shown (MetaMask
// signs it as 32 zero bytes), so each "{}" of a type with a thousand struct
// members is a thousand Fields from two bytes; and every Field repeats its
// type's name and its path, which the input writes once. 57 KB of such
// objects took 29 s and 2.4 GB and printed 520 MB; a 20,000-character type
// name on 20,000 array elements printed 400 MB.
//
// So a request pays for each Field it makes us build: one value, and
// fieldCost plus the length of its path and its type in bytes shown (the
// name, type and punctuation of a Field, and an indent as deep as its path,
// in the text and JSON output). JSON nesting, and so the Field tree's, is
// bounded by jsonkey.MaxDepth, which Parse checks first.
//
// Every honest request we know (the fixtures, the shared conformance
// vectors, Permit2 batches, Seaport orders) holds at most one value per 29
// bytes of input and shows at most 4.5 bytes per byte, both reached by a
// Seaport bulk listing, whose paths are long (TestHonestTypedBudget). The
// per-byte allowances are over three times that; the bases let any small
// request through, even a dense array of a thousand numbers. Under the
// caps fits the largest honest request we know that txguard decodes (1
// MiB), a Seaport bulk listing of 1,024 orders: 34,000 values, 4.5 MB to
// show. The most a request can ask for within the bounds costs txguard
// check about 0.6 s and 120 MB (BenchmarkHostileTypedData* have the
// shapes).
const (
	fieldCost = 64

	bytesPerValue = 8 // input allowed a value per 8 bytes
	valuesBase    = 1024
	valuesCap     = 1 << 17

	shownPerByte = 16
	shownBase    = 256 << 10
	shownCap     = 16 << 20
)

// budget is what one Parse may still build.
type budget struct {
	input, values, maxValues, shown, maxShown int
}

func newBudget(input int) budget {
	return budget{
		input:     input,
		maxValues: min(input/bytesPerValue+valuesBase, valuesCap),
		maxShown:  min(shownPerByte*input+shownBase, shownCap),
	}
}

// field pays for one Field of type typ at path, or says what is too big.
func (b *budget) field(path, typ string) error {
	b.values++
	b.shown += fieldCost + len(path) + len(typ)
	switch {
	case b.values > b.maxValues:
		return fmt.Errorf("typeddata: %s: the request holds more than %d values (members, array elements, absent members signed as zero) for its %s of input; no real request comes near that",
			path, b.maxValues, kib(b.input))
	case b.shown > b.maxShown:
		return fmt.Errorf("typeddata: %s: the request's values with their names, types and paths would take more than %d MiB to show, from %s of input; no real request comes near that",
			path, b.maxShown>>20, kib(b.input))
	}
	return nil
}

func kib(n int) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
