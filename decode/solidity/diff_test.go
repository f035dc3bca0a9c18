package solidity

import (
	"slices"
	"strings"
	"testing"
)

func mustScan(t *testing.T, src string) *File {
	t.Helper()
	if src == "" {
		return nil
	}
	f, err := Scan([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f.Path = "C.sol"
	return f
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string // expected.txt lines
	}{
		{
			name: "overloads are told apart",
			old:  "contract C {\n function f(uint a) external {}\n function f(address a) external {}\n}",
			new:  "contract C {\n function f(address b) external {}\n function f(uint256 b) external {}\n function f(bytes32 b) external {}\n}",
			want: "function-added C f(bytes32) 4\n",
		},
		{
			// Paired by name, the function keeps its delegatecall (to the
			// same target); the guard it lost is what is reported.
			name: "retyped parameter keeps its delegatecall; reported as removed and added",
			old:  "contract C {\n function run(address t, bytes memory d) external onlyOwner { t.delegatecall(d); }\n}",
			new:  "contract C {\n function run(address t, bytes calldata d, uint v) external { t.delegatecall(d); }\n}",
			want: "function-added C run(address,bytes,uint256) 2\nfunction-removed C run(address,bytes) 2\nmodifier-removed C run(address,bytes,uint256) 2\n",
		},
		{
			name: "a delegatecall retargeted from the contract itself to a caller's address",
			old:  "contract C {\n function m(bytes[] calldata d) external {\n  for (uint i; i < d.length; i++) address(this).delegatecall(d[i]);\n }\n}",
			new:  "contract C {\n function m(bytes[] calldata d) external {\n  for (uint i; i < d.length; i++) msg.sender.delegatecall(d[i]);\n }\n}",
			want: "delegatecall-added C m(bytes[]) 3\n",
		},
		{
			name: "a delegatecall moved out of a guarded function into a new one",
			old:  "contract C {\n function a(address t) external onlyOwner {\n  t.delegatecall(\"\");\n }\n}",
			new:  "contract C {\n function a(address t) external onlyOwner {\n }\n function b(address t) external {\n  t.delegatecall(\"\");\n }\n}",
			want: "function-added C b(address) 4\ndelegatecall-added C b(address) 5\n",
		},
		{
			name: "a delegatecall line whose result variables are renamed is no change",
			old:  "contract C {\n function m(bytes[] calldata d) external {\n  (bool ok, bytes memory r) = address(this).delegatecall(d[0]);\n }\n}",
			new:  "contract C {\n function m(bytes[] calldata d) external {\n  (bool success, bytes memory ret) = address(this).delegatecall(d[0]);\n }\n}",
			want: "",
		},
		{
			name: "a copy of a delegatecall that stayed, in a new helper a new entry calls",
			old:  "contract C {\n function e(address t) external onlyOwner {\n  t.delegatecall(\"\");\n }\n}",
			new:  "contract C {\n function e(address t) external onlyOwner {\n  t.delegatecall(\"\");\n }\n function b(address t) external {\n  _r(t);\n }\n function _r(address t) internal {\n  t.delegatecall(\"\");\n }\n}",
			want: "function-added C b(address) 5\ndelegatecall-added C _r(address) 9\n",
		},
		{
			name: "a delegatecall moved as it was into a private helper stays quiet",
			old:  "contract C {\n function a(address t) external {\n  t.delegatecall(\"\");\n }\n}",
			new:  "contract C {\n function a(address t) external {\n  _a(t);\n }\n function _a(address t) private {\n  t.delegatecall(\"\");\n }\n}",
			want: "",
		},
		{
			name: "code moved to a new internal helper stays quiet",
			old:  "contract C {\n function a(address t) external {\n  t.call(\"\");\n }\n}",
			new:  "contract C {\n function a(address t) external {\n  _a(t);\n }\n function _a(address to) internal {\n  to.call(\"\");\n }\n}",
			want: "",
		},
		{
			name: "a second copy of an existing line is new",
			old:  "contract C {\n function a(address t) external { t.call(\"\"); }\n}",
			new:  "contract C {\n function a(address t) external { t.call(\"\"); }\n function b(address t) external { t.call(\"\"); }\n}",
			want: "function-added C b(address) 3\nlow-level-call-added C b(address) 3\n",
		},
		{
			name: "private to external and internal to private",
			old:  "contract C {\n function a() private {}\n function b() internal {}\n}",
			new:  "contract C {\n function a() external {}\n function b() private {}\n}",
			want: "visibility-widened C a() 2\n",
		},
		{
			name: "interface members, internal helpers and modifiers are not entry points",
			old:  "interface I { function a() external; }\ncontract C {\n}",
			new:  "interface I { function a() external; function b() external; }\ncontract C {\n function _h() internal {}\n modifier m() { _; }\n}",
			want: "",
		},
		{
			name: "constructor added to an upgradeable implementation",
			old:  "contract C is Initializable {\n uint x;\n function initialize() external initializer { x = 1; }\n}",
			new:  "contract C is Initializable {\n uint x;\n constructor() { x = 1; }\n function initialize() external initializer { x = 1; }\n}",
			want: "function-added C constructor() 3\n",
		},
		{
			name: "address to address payable, uint to uint256, rename in place: same slots",
			old:  "contract C {\n address owner;\n uint fee;\n uint8 a;\n}",
			new:  "contract C {\n address payable owner;\n uint256 fee;\n uint8 b;\n}",
			want: "",
		},
		{
			name: "storage variable made constant leaves a hole",
			old:  "contract C {\n uint a;\n uint b;\n uint c;\n}",
			new:  "contract C {\n uint a;\n uint constant b = 1;\n uint c;\n}",
			want: "storage-removed C - 3\n",
		},
		{
			name: "gap shrunk by fewer slots than the new variables take",
			old:  "contract C {\n uint a;\n uint256[50] private __gap;\n}",
			new:  "contract C {\n uint a;\n uint b;\n uint c;\n uint256[49] private __gap;\n}",
			want: "storage-inserted C - 3\nstorage-inserted C - 4\nstorage-retyped C - 5\n",
		},
		{
			name: "gap shrunk by exactly the slots taken, packing counted",
			old:  "contract C {\n uint a;\n uint256[50] private __gap;\n}",
			new:  "contract C {\n uint a;\n address b;\n uint96 c;\n uint256 d;\n uint256[48] private __gap;\n}",
			want: "storage-appended C - 3\nstorage-appended C - 4\nstorage-appended C - 5\n",
		},
		{
			name: "field appended to a struct held in a mapping is fine, inserted is not",
			old:  "struct P { uint a; uint b; }\ncontract C {\n mapping(address => P) m;\n P[] list;\n}",
			new:  "struct P { uint a; uint b; uint c; }\ncontract C {\n mapping(address => P) m;\n P[] list;\n}",
			want: "storage-retyped C - 4\n",
		},
		{
			name: "two variables swapped",
			old:  "contract C {\n uint a;\n address b;\n bool c;\n}",
			new:  "contract C {\n address b;\n uint a;\n bool c;\n}",
			want: "storage-reordered C - 3\n",
		},
		{
			name: "bases reordered and pragma bumped",
			old:  "pragma solidity 0.8.19;\ncontract C is A, B {}",
			new:  "pragma solidity 0.8.24;\npragma abicoder v2;\ncontract C is B, A {}",
			want: "pragma-changed - - 1\npragma-changed - - 2\nbases-changed C - 3\n",
		},
		{
			// solc 0.8.29: the whole layout starts at another slot.
			name: "a storage layout base added, before and after is",
			old:  "contract C is A {\n uint a;\n}\ncontract D layout at 0x10 is A {\n uint a;\n}",
			new:  "contract C is A layout at 0x1000 {\n uint a;\n}\ncontract D layout at 0x10 is A {\n uint a;\n}",
			want: "bases-changed C - 1\n",
		},
		{
			name: "a layout base that stays is no change, and hides nothing",
			old:  "contract C layout at 2**64 {\n uint a;\n}",
			new:  "contract C layout at 2 ** 64 {\n uint b;\n uint a;\n}",
			want: "storage-inserted C - 2\n",
		},
		{
			name: "an interface added to the bases moves no storage",
			old:  "interface IVault {}\ncontract C is Base {\n uint a;\n}",
			new:  "interface IVault {}\ncontract C is Base, IVault {\n uint a;\n}",
			want: "",
		},
		{
			name: "a base with no storage added (Context)",
			old:  "abstract contract Context {\n function _msgSender() internal view returns (address) { return msg.sender; }\n}\ncontract C {\n uint a;\n}",
			new:  "abstract contract Context {\n function _msgSender() internal view returns (address) { return msg.sender; }\n}\ncontract C is Context {\n uint a;\n}",
			want: "",
		},
		{
			name: "a base with storage added",
			old:  "abstract contract Init {\n uint8 _initialized;\n}\ncontract C {\n uint a;\n}",
			new:  "abstract contract Init {\n uint8 _initialized;\n}\ncontract C is Init {\n uint a;\n}",
			want: "bases-changed C - 4\n",
		},
		{
			name: "a delegatecall through Address to the same target with other data",
			old:  "contract C {\n function m(bytes[] calldata d) external {\n  Address.functionDelegateCall(address(this), d[0]);\n }\n}",
			new:  "contract C {\n function m(bytes[] calldata d) external {\n  Address.functionDelegateCall(address(this), bytes.concat(d[0], ctx));\n }\n}",
			want: "",
		},
		{
			name: "a delegatecall through Address retargeted",
			old:  "contract C {\n function m(address t, bytes[] calldata d) external {\n  Address.functionDelegateCall(address(this), d[0]);\n }\n}",
			new:  "contract C {\n function m(address t, bytes[] calldata d) external {\n  Address.functionDelegateCall(t, d[0]);\n }\n}",
			want: "delegatecall-added C m(address,bytes[]) 3\n",
		},
		{
			name: "a base added that the files do not show as an interface",
			old:  "contract C is Base {\n uint a;\n}",
			new:  "contract C is Base, IVault {\n uint a;\n}",
			want: "bases-changed C - 1\n",
		},
		{
			name: "an interface type swapped for another stores the same address",
			old:  "contract C {\n IERC20Upgradeable asset;\n uint a;\n}",
			new:  "contract C {\n IERC20 asset;\n uint a;\n}",
			want: "",
		},
		{
			name: "a struct field renamed in place keeps its slot",
			old:  "contract C {\n struct P { address owner; uint a; }\n P[] ps;\n uint b;\n}",
			new:  "contract C {\n struct P { address account; uint a; }\n P[] ps;\n uint b;\n}",
			want: "",
		},
		{
			name: "struct fields of one type swapped change what each slot means",
			old:  "contract C {\n struct P { uint a; uint b; }\n P[] ps;\n}",
			new:  "contract C {\n struct P { uint b; uint a; }\n P[] ps;\n}",
			want: "storage-retyped C - 3\n",
		},
		{
			name: "a struct nested in a stored struct reordered",
			old:  "contract C {\n struct F { uint128 p; uint128 l; }\n struct M { F fees; uint x; }\n M[] ms;\n}",
			new:  "contract C {\n struct F { uint128 l; uint64 p; }\n struct M { F fees; uint x; }\n M[] ms;\n}",
			want: "storage-retyped C - 4\n",
		},
		{
			name: "a struct named like an interface is still a struct",
			old:  "contract C {\n struct IPFSRef { bytes32 h; }\n struct IPFSRecord { bytes32 h; uint n; }\n IPFSRef meta;\n uint a;\n}",
			new:  "contract C {\n struct IPFSRef { bytes32 h; }\n struct IPFSRecord { bytes32 h; uint n; }\n IPFSRecord meta;\n uint a;\n}",
			want: "storage-retyped C - 4\n",
		},
		{
			name: "a parameter a modifier takes renamed is no guard changed",
			old:  "contract C {\n function burn(uint256 tokenId) external onlyHolder(tokenId) {}\n}",
			new:  "contract C {\n function burn(uint256 id) external onlyHolder(id) {}\n}",
			want: "",
		},
		{
			name: "new file brings its concerns, not its entry points",
			old:  "",
			new:  "contract C {\n function k() external { selfdestruct(payable(msg.sender)); }\n}",
			want: "contract-added C - 1\nselfdestruct-added C k() 2\n",
		},
		{
			name: "removed file",
			old:  "library L {}\ncontract C {}",
			new:  "",
			want: "contract-removed L - 1\ncontract-removed C - 2\n",
		},
		{
			name: "modifier body gains tx.origin",
			old:  "contract C {\n modifier only() { require(msg.sender == o); _; }\n}",
			new:  "contract C {\n modifier only() {\n  require(tx.origin == o);\n  _;\n }\n}",
			want: "guard-weakened C only() 2\ntx-origin-added C only() 3\n",
		},
		{
			name: "a modifier's check taken out of its body",
			old:  "contract C {\n modifier onlyOwner() { require(msg.sender == owner, \"no\"); _; }\n function f() external onlyOwner {}\n}",
			new:  "contract C {\n modifier onlyOwner() { _; }\n function f() external onlyOwner {}\n}",
			want: "guard-weakened C onlyOwner() 2\n",
		},
		{
			name: "an auth hook overridden to do nothing",
			old:  "contract C is Ownable {\n function f() external onlyOwner {}\n}",
			new:  "contract C is Ownable {\n function f() external onlyOwner {}\n function _checkOwner() internal view override {}\n}",
			want: "guard-weakened C _checkOwner() 3\n",
		},
		{
			name: "a caller check taken out of a function's body",
			old:  "contract C {\n function setOwner(address o) external {\n  require(msg.sender == owner);\n  owner = o;\n }\n}",
			new:  "contract C {\n function setOwner(address o) external {\n  owner = o;\n }\n}",
			want: "guard-weakened C setOwner(address) 2\n",
		},
		{
			name: "a caller check moved from the body into a modifier stays a modifier change",
			old:  "contract C {\n function setOwner(address o) external {\n  require(msg.sender == owner);\n  owner = o;\n }\n}",
			new:  "contract C {\n function setOwner(address o) external onlyOwner {\n  owner = o;\n }\n}",
			want: "modifier-added C setOwner(address) 2\n",
		},
		{
			name: "the caller cached in a local is no check removed",
			old:  "contract C {\n function w(uint a) external {\n  require(bal[msg.sender] >= a);\n  emit W(msg.sender, a);\n }\n}",
			new:  "contract C {\n function w(uint a) external {\n  address account = msg.sender;\n  require(bal[account] >= a);\n  emit W(account, a);\n }\n}",
			want: "",
		},
		{
			name: "a parameter named sender renamed is no check removed",
			old:  "contract C {\n function t(address sender, uint a) external {\n  _transfer(sender, a);\n }\n}",
			new:  "contract C {\n function t(address from, uint a) external {\n  _transfer(from, a);\n }\n}",
			want: "",
		},
		{
			name: "a constructor granting a role to another account is no check removed",
			old:  "contract C {\n constructor() {\n  _grantRole(ADMIN, msg.sender);\n }\n}",
			new:  "contract C {\n constructor(address admin) {\n  _grantRole(ADMIN, admin);\n }\n}",
			want: "function-added C constructor(address) 2\nfunction-removed C constructor() 2\n",
		},
		{
			name: "a modifier's check moved into a helper it calls",
			old:  "contract C {\n modifier onlyOwner() { require(msg.sender == owner); _; }\n}",
			new:  "contract C {\n modifier onlyOwner() { _onlyOwner(); _; }\n function _onlyOwner() internal view { require(msg.sender == owner); }\n}",
			want: "",
		},
		{
			name: "if-revert turned require is the same check",
			old:  "contract C {\n modifier onlyOwner() { if (msg.sender != owner) revert NotOwner(); _; }\n}",
			new:  "contract C {\n modifier onlyOwner() { require(msg.sender == owner, NotOwner()); _; }\n}",
			want: "",
		},
		{
			name: "a new function named like an auth hook that overrides nothing",
			old:  "contract C {\n address admin;\n}",
			new:  "contract C {\n address admin;\n function owner() external view returns (address) { return admin; }\n}",
			want: "function-added C owner() 3\n",
		},
		{
			name: "a modifier rewritten with the same checks stays quiet",
			old:  "contract C {\n modifier onlyOwner() { require(msg.sender == owner, \"no\"); _; }\n}",
			new:  "contract C {\n modifier onlyOwner() {\n  if (msg.sender != owner) revert NotOwner();\n  _;\n }\n}",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(expected(Diff(mustScan(t, tt.old), mustScan(t, tt.new))))
			if got != tt.want {
				t.Errorf("\ngot:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestDiffSetMovedContract(t *testing.T) {
	a := mustScan(t, "contract Vault {\n uint a;\n function f() external {}\n}")
	b := mustScan(t, "// moved\n\ncontract Vault {\n uint a;\n uint b;\n function f() external {}\n}")
	got := DiffSet(map[string]*File{"A.sol": a}, map[string]*File{"B.sol": b})
	if len(got) != 1 || got[0].Kind != StorageAppended || got[0].Path != "B.sol" || got[0].Line != 5 {
		t.Errorf("got %v, want one storage-appended in B.sol:5", got)
	}
}

func TestChangeString(t *testing.T) {
	c := Change{Kind: ModifierRemoved, Path: "V.sol", Contract: "V", Function: "f()", Line: 3, Detail: "modifier `m` no longer applied to `f()`"}
	if got, want := c.String(), "V.sol:3: modifier-removed V f(): modifier `m` no longer applied to `f()`"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !strings.Contains((Change{Kind: PragmaChanged}).String(), " - -:") {
		t.Error("empty contract and function should print as -")
	}
}

// A contract moved next to a decoy of the same name is still compared
// with where it went.
func TestDiffSetMovedNextToDecoy(t *testing.T) {
	old := mustScan(t, "contract Vault {\n address owner;\n uint a;\n}")
	moved := mustScan(t, "contract Vault {\n uint fee;\n address owner;\n uint a;\n}")
	decoy := mustScan(t, "contract Vault {\n address owner;\n uint a;\n}")
	got := DiffSet(map[string]*File{"Vault.sol": old}, map[string]*File{"core/Vault.sol": moved, "mocks/Vault.sol": decoy})
	if !slices.ContainsFunc(got, func(c Change) bool { return c.Kind == StorageInserted && c.Path == "core/Vault.sol" }) {
		t.Errorf("got %v, want storage-inserted in core/Vault.sol", got)
	}
}

// A struct of the same name in another file does not stand in for the
// contract's own.
func TestDiffSetStructDecoy(t *testing.T) {
	old := mustScan(t, "contract Vault {\n struct Position { uint a; address b; }\n Position[] ps;\n}")
	new := mustScan(t, "contract Vault {\n struct Position { address b; uint a; }\n Position[] ps;\n}")
	decoy := mustScan(t, "library Events {\n struct Position { uint a; address b; }\n}")
	got := DiffSet(map[string]*File{"Vault.sol": old}, map[string]*File{"Events.sol": decoy, "Vault.sol": new})
	if !slices.ContainsFunc(got, func(c Change) bool { return c.Kind == StorageRetyped }) {
		t.Errorf("got %v, want storage-retyped", got)
	}
}

// An import swapped for a same-named file, worse when the change adds it.
func TestDiffSetImportSwapped(t *testing.T) {
	v1 := mustScan(t, "import {Ownable} from \"@openzeppelin/contracts/access/Ownable.sol\";\ncontract V is Ownable {}")
	v2 := mustScan(t, "import {Ownable} from \"./utils/Ownable.sol\";\ncontract V is Ownable {}")
	fake := mustScan(t, "contract Ownable {}")
	for _, tc := range []struct {
		name     string
		old, new map[string]*File
		want     Kind
	}{
		{"to a file the change adds", map[string]*File{"src/V.sol": v1}, map[string]*File{"src/V.sol": v2, "src/utils/Ownable.sol": fake}, ImportSwappedToAdded},
		{"to a file the change does not show", map[string]*File{"src/V.sol": v1}, map[string]*File{"src/V.sol": v2}, ImportSwapped},
	} {
		got := DiffSet(tc.old, tc.new)
		if !slices.ContainsFunc(got, func(c Change) bool { return c.Kind == tc.want && c.Path == "src/V.sol" && c.Line == 1 }) {
			t.Errorf("%s: got %v, want %s", tc.name, got, tc.want)
		}
	}
	if got := DiffSet(map[string]*File{"V.sol": v1}, map[string]*File{"V.sol": v1}); len(got) != 0 {
		t.Errorf("unchanged: %v", got)
	}
	// A project file moved, its import following it; a package path
	// reorganised.
	i1 := mustScan(t, "import {IVault} from \"./interfaces/IVault.sol\";\nimport {Pausable} from \"@openzeppelin/contracts/security/Pausable.sol\";\ncontract V {}")
	i2 := mustScan(t, "import {IVault} from \"./interfaces/vault/IVault.sol\";\nimport {Pausable} from \"@openzeppelin/contracts/utils/Pausable.sol\";\ncontract V {}")
	iv := mustScan(t, "interface IVault {}")
	got := DiffSet(map[string]*File{"src/V.sol": i1, "src/interfaces/IVault.sol": iv}, map[string]*File{"src/V.sol": i2, "src/interfaces/vault/IVault.sol": iv})
	if slices.ContainsFunc(got, func(c Change) bool { return c.Kind == ImportSwapped || c.Kind == ImportSwappedToAdded }) {
		t.Errorf("moved and reorganised: %v", got)
	}
}

// Moved contracts of one name pair by the tail of their paths; a decoy
// that looks closer still leaves the real one compared; a copy next to an
// original that stays is compared with it.
func TestDiffSetPairing(t *testing.T) {
	pool := mustScan(t, "contract Pool {\n uint a;\n}")
	poolV2 := mustScan(t, "contract Pool {\n uint a;\n uint b;\n}")
	if got := DiffSet(map[string]*File{"contracts/v1/Pool.sol": pool, "contracts/v2/Pool.sol": poolV2},
		map[string]*File{"src/v1/Pool.sol": pool, "src/v2/Pool.sol": poolV2}); len(got) != 0 {
		t.Errorf("two moved, unchanged: %v", got)
	}
	old := mustScan(t, "contract Vault {\n address owner;\n uint a;\n}")
	changed := mustScan(t, "contract Vault {\n uint fee;\n address owner;\n uint a;\n}")
	inserted := func(got []Change, path string) bool {
		return slices.ContainsFunc(got, func(c Change) bool { return c.Kind == StorageInserted && c.Path == path })
	}
	if got := DiffSet(map[string]*File{"src/Vault.sol": old}, map[string]*File{"src/core/Vault.sol": changed, "mocks/src/Vault.sol": old}); !inserted(got, "src/core/Vault.sol") {
		t.Errorf("decoy with a closer path: %v", got)
	}
	if got := DiffSet(map[string]*File{"src/Vault.sol": old}, map[string]*File{"src/Vault.sol": old, "src/core/Vault.sol": changed}); !inserted(got, "src/core/Vault.sol") {
		t.Errorf("decoy left at the old path: %v", got)
	}
}
