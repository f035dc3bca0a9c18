package solidity

import (
	"fmt"
	"strings"
	"testing"
)

// render prints what Scan found, one fact a line, for have/want tables.
func render(f *File) string {
	var b strings.Builder
	for _, p := range f.Pragmas {
		fmt.Fprintf(&b, "pragma %s %s @%d\n", p.Name, p.Value, p.Line)
	}
	for _, i := range f.Imports {
		fmt.Fprintf(&b, "import %s @%d\n", i.Path, i.Line)
	}
	for _, s := range f.Structs {
		fmt.Fprintf(&b, "struct %s {%s} @%d\n", s.Name, fields(s), s.Line)
	}
	fns := func(indent string, list []*Function) {
		for _, fn := range list {
			fmt.Fprintf(&b, "%s%s %s %s %s [%s] @%d", indent, fn.Kind, fn.Signature(), fn.Visibility, fn.Mutability, strings.Join(fn.Modifiers, " "), fn.Line)
			if fn.BodyStart > 0 {
				fmt.Fprintf(&b, " body %d-%d", fn.BodyStart, fn.BodyEnd)
			}
			b.WriteByte('\n')
			for _, o := range fn.Concerns {
				fmt.Fprintf(&b, "%s  %s %q @%d\n", indent, o.Kind, o.Text, o.Line)
			}
		}
	}
	fns("", f.Functions)
	for _, c := range f.Contracts {
		fmt.Fprintf(&b, "%s %s", c.Kind, c.Name)
		if len(c.Bases) > 0 {
			fmt.Fprintf(&b, " is %s", strings.Join(c.Bases, ","))
		}
		fmt.Fprintf(&b, " @%d-%d\n", c.Line, c.EndLine)
		for _, s := range c.Structs {
			fmt.Fprintf(&b, "  struct %s {%s} @%d\n", s.Name, fields(s), s.Line)
		}
		for _, e := range c.Enums {
			fmt.Fprintf(&b, "  enum %s\n", e)
		}
		for _, v := range c.StateVars {
			flags := ""
			if v.Constant {
				flags += " constant"
			}
			if v.Immutable {
				flags += " immutable"
			}
			if v.Transient {
				flags += " transient"
			}
			fmt.Fprintf(&b, "  var %s %s %s%s @%d\n", v.Type, v.Name, v.Visibility, flags, v.Line)
		}
		fns("  ", c.Functions)
	}
	return b.String()
}

func TestScanStructure(t *testing.T) {
	tests := []struct {
		name, have, want string
	}{
		{
			name: "pragmas, imports, bases with arguments",
			have: `// SPDX-License-Identifier: MIT
pragma solidity >=0.6.0 <0.9.0;
pragma abicoder v2;
import "./A.sol";
import {B as C} from './B.sol';
import * as L from "./L.sol";
abstract contract X is A, L.Base, Ownable(msg.sender) {}
interface I {}
library Lib {}
`,
			want: `pragma solidity >=0.6.0 <0.9.0 @2
pragma abicoder v2 @3
import ./A.sol @4
import ./B.sol @5
import ./L.sol @6
abstract contract X is A,Base,Ownable @7-7
interface I @8-8
library Lib @9-9
`,
		},
		{
			name: "braces and quotes in comments and strings",
			have: `contract C {
    // } this brace is a comment
    /* { and so is this } */
    string public s = "}{ \" '";
    string public t = '{"}';
    uint public n; /* function fake() external {} */
    function f() external { emit E("delegatecall }"); }
}`,
			want: `contract C @1-8
  var string s public @4
  var string t public @5
  var uint256 n public @6
  function f() external nonpayable [] @7 body 7-7
`,
		},
		{
			name: "nested mappings, arrays, named mapping parameters, aliases",
			have: `contract C {
    struct S { uint a; address[] b; mapping(uint => bool) m; }
    mapping(address => mapping(uint => S[])) internal nested;
    mapping(address owner => uint balance) public balances;
    uint[3][] grid;
    byte b1;
    int private i;
    address payable public wallet;
    Lib.Point public p;
}`,
			want: `contract C @1-10
  struct S {uint256 a; address[] b; mapping(uint256 => bool) m} @2
  var mapping(address => mapping(uint256 => S[])) nested internal @3
  var mapping(address => uint256) balances public @4
  var uint256[3][] grid internal @5
  var bytes1 b1 internal @6
  var int256 i private @7
  var address payable wallet public @8
  var Lib.Point p public @9
`,
		},
		{
			name: "function types as variables and parameters",
			have: `contract C {
    function (uint) external returns (bool) f;
    function (uint256, address) internal pure returns (uint256) internal g;
    function apply(function (uint) external returns (bool) cb, uint x) public {}
}`,
			want: `contract C @1-5
  var function(uint256) external returns(bool) f internal @2
  var function(uint256,address) internal pure returns(uint256) g internal @3
  function apply(function(uint256) external returns(bool),uint256) public nonpayable [] @4 body 4-4
`,
		},
		{
			name: "modifiers with arguments, override and virtual, base constructor calls",
			have: `contract C is ERC20, Ownable {
    constructor(string memory n) ERC20(n, "T") Ownable(msg.sender) initializer {}
    function a() external onlyOwner() {}
    function b(uint x) public virtual override(A, B) onlyRole(ADMIN_ROLE) whenNotPaused returns (uint) { return x; }
    function c() internal override nonReentrant {}
    modifier guard(address who) { require(who != address(0)); _; }
    modifier plain { _; }
    function d() external payable Lib.checked {}
}`,
			want: `contract C is ERC20,Ownable @1-9
  constructor constructor(string) public nonpayable [initializer] @2 body 2-2
  function a() external nonpayable [onlyOwner] @3 body 3-3
  function b(uint256) public nonpayable [onlyRole(ADMIN_ROLE) whenNotPaused] @4 body 4-4
  function c() internal nonpayable [nonReentrant] @5 body 5-5
  modifier guard(address) internal nonpayable [] @6 body 6-6
  modifier plain() internal nonpayable [] @7 body 7-7
  function d() external payable [Lib.checked] @8 body 8-8
`,
		},
		{
			name: "0.4 syntax: unnamed fallback, constant functions, var, named constructor",
			have: `pragma solidity ^0.4.24;
contract Old {
    address owner;
    function Old() { owner = msg.sender; }
    function () payable { }
    function get() constant returns (uint) { var x = 1; return x; }
    function kill() { if (msg.sender == owner) suicide(owner); }
    function pay(address to) { to.transfer(1 ether); to.send(1); to.call.value(1)(); }
}`,
			want: `pragma solidity ^0.4.24 @1
contract Old @2-9
  var address owner internal @3
  constructor constructor() public nonpayable [] @4 body 4-4
  fallback fallback() external payable [] @5 body 5-5
  function get() public view [] @6 body 6-6
  function kill() public nonpayable [] @7 body 7-7
    selfdestruct "suicide" @7
  function pay(address) public nonpayable [] @8 body 8-8
    low-level-call ".transfer (1 argument)" @8
    low-level-call ".send (1 argument)" @8
    low-level-call ".call.value" @8
`,
		},
		{
			name: "0.8 features: unchecked, errors, type(), UDVT, free functions, transient, using for",
			have: `pragma solidity ^0.8.28;
type Price is uint128;
using {add} for Price global;
error Unauthorized(address who);
uint256 constant LIMIT = 10;
struct Pair { Price a; Price b; }
function add(Price a, Price b) pure returns (Price) { unchecked { return Price.wrap(Price.unwrap(a) + Price.unwrap(b)); } }
contract C is IC {
    using SafeERC20 for IERC20;
    enum State { Open, Closed }
    event Done(uint indexed id);
    error Bad();
    uint256 transient lock;
    bool transient locked;
    uint256 public constant MAX = 1;
    address public immutable self = address(this);
    State public state;
    receive() external payable {}
    fallback(bytes calldata) external returns (bytes memory) { return ""; }
    function id() external pure returns (bytes4) { return type(IC).interfaceId; }
}`,
			want: `pragma solidity ^0.8.28 @1
struct Pair {Price a; Price b} @6
function add(Price,Price) internal pure [] @7 body 7-7
  unchecked "unchecked" @7
contract C is IC @8-21
  enum State
  var uint256 lock internal transient @13
  var bool locked internal transient @14
  var uint256 MAX public constant @15
  var address self public immutable @16
  var State state public @17
  receive receive() external payable [] @18 body 18-18
  fallback fallback(bytes) external nonpayable [] @19 body 19-19
  function id() external pure [] @20 body 20-20
`,
		},
		{
			name: "concerns: told apart from look-alikes",
			have: `contract C {
    function f(address t, bytes calldata d, IERC20 token) external {
        t.delegatecall(d);
        (bool ok,) = t.call{value: 1}("");
        (ok,) = t.staticcall(d);
        token.transfer(t, 1);
        payable(t).transfer(1);
        token.send(t, 1, "");
        if (tx.origin == t) {}
        _delegatecall(d);
        call(d);
        selfdestruct(payable(t));
        new Pair{salt: bytes32(0)}();
        new Pair{value: 1}();
        t.callcode(d);
    }
    function g() external {
        assembly ("memory-safe") {
            let r := call(gas(), 0, 0, 0, 0, 0, 0)
            r := delegatecall(gas(), 0, 0, 0, 0, 0)
            let a := create2(0, 0, 0, 0)
            selfdestruct(0)
        }
        unchecked { i++; }
    }
}`,
			want: `contract C @1-26
  function f(address,bytes,IERC20) external nonpayable [] @2 body 2-16
    delegatecall "delegatecall" @3
    low-level-call ".call{" @4
    low-level-call ".staticcall(" @5
    low-level-call ".transfer (1 argument)" @7
    tx-origin "tx.origin" @9
    selfdestruct "selfdestruct" @12
    create2 "new Pair{salt:}" @13
    callcode "callcode" @15
  function g() external nonpayable [] @17 body 17-25
    assembly "assembly" @18
    low-level-call "call(" @19
    delegatecall "delegatecall" @20
    create2 "create2" @21
    selfdestruct "selfdestruct" @22
    unchecked "unchecked" @24
`,
		},
		{
			// Spellings solc takes that read differently to a lexer: a //
			// comment ended by a bare CR (solc ends it there; editors may
			// not), parenthesised builtins, 0.6's .gas(g).
			name: "concerns: hidden spellings",
			have: "contract C {\n    function f(address t, bytes calldata d) external {\n" +
				"        // note\r(bool ok,) = t.delegatecall(d);\n" +
				"        (ok,) = (t.delegatecall)(d);\n" +
				"        (ok,) = t.delegatecall.gas(gasleft())(d);\n" +
				"        (ok,) = (t.call)(d);\n" +
				"        // also\u2028(selfdestruct)(payable(t));\n" +
				"        t.functionDelegateCall(d);\n" +
				"        Address.functionCallWithValue(t, d, 1);\n" +
				"    }\n}",
			want: `contract C @1-11
  function f(address,bytes) external nonpayable [] @2 body 2-10
    delegatecall "delegatecall" @3
    delegatecall "delegatecall" @4
    delegatecall "delegatecall" @5
    low-level-call ".call)" @6
    selfdestruct "selfdestruct" @7
    delegatecall ".functionDelegateCall" @8
    low-level-call ".functionCallWithValue" @9
`,
		},
		{
			name: "interface defaults and declarations without bodies",
			have: `interface IVault {
    function deposit(uint256 assets, address receiver) returns (uint256 shares);
    function asset() external view returns (address);
}
abstract contract Base {
    function hook(bytes memory data) internal virtual;
}`,
			want: `interface IVault @1-4
  function deposit(uint256,address) external nonpayable [] @2
  function asset() external view [] @3
abstract contract Base @5-7
  function hook(bytes) internal nonpayable [] @6
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Scan([]byte(tt.have))
			if err != nil {
				t.Fatal(err)
			}
			if got := render(f); got != tt.want {
				t.Errorf("\ngot:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
