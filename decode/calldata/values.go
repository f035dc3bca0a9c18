package calldata

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/label"
)

// toArgs converts unpacked values into Args, labelling addresses.
func (d *Decoder) toArgs(args abi.Arguments, vals []any) []Arg {
	out := make([]Arg, len(args))
	for i, a := range args {
		name := a.Name
		if name == "" {
			name = "arg" + strconv.Itoa(i)
		}
		out[i] = d.toArg(name, a.Type, reflect.ValueOf(vals[i]))
	}
	return out
}

func (d *Decoder) toArg(name string, t abi.Type, v reflect.Value) Arg {
	a := Arg{Name: name, Type: t.String()}
	switch t.T {
	case abi.IntTy, abi.UintTy:
		a.big = toBig(v)
		a.Value = a.big.String()
	case abi.AddressTy:
		addr := v.Interface().(common.Address)
		a.raw, a.isAddr = addr[:], true
		a.Value = label.Hex(addr)
		a.Label = d.labels().Addr(addr).Label
	case abi.BoolTy:
		a.Value = strconv.FormatBool(v.Bool())
	case abi.StringTy:
		a.Value = v.String()
	case abi.BytesTy:
		a.raw, a.hexLater = v.Bytes(), true
	case abi.FixedBytesTy, abi.FunctionTy:
		a.raw = make([]byte, v.Len())
		reflect.Copy(reflect.ValueOf(a.raw), v)
		a.Value = hexutil.Encode(a.raw)
	case abi.SliceTy, abi.ArrayTy:
		a.Elems = make([]Arg, v.Len())
		for i := range a.Elems {
			a.Elems[i] = d.toArg(indexName(i), *t.Elem, v.Index(i))
		}
	case abi.TupleTy:
		a.Elems = make([]Arg, len(t.TupleElems))
		for i, et := range t.TupleElems {
			n := t.TupleRawNames[i]
			if n == "" {
				n = "arg" + strconv.Itoa(i)
			}
			a.Elems[i] = d.toArg(n, *et, v.Field(i))
		}
	default:
		a.Value = fmt.Sprint(v.Interface())
	}
	return a
}

// toBig reads any of the Go integer types go-ethereum unpacks into.
func toBig(v reflect.Value) *big.Int {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return big.NewInt(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return new(big.Int).SetUint64(v.Uint())
	}
	if b, ok := v.Interface().(*big.Int); ok && b != nil {
		return b
	}
	return new(big.Int)
}
