package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// A parameter that contradicts another is rejected by Resolve before any
// work, in one line that names both flags. The rules are declared once,
// on the parameter (Param.Fits), with the two helpers below; check, run,
// replay and every table built on the catalog go through Resolve.

// atMost bounds a parameter by another one's value plus offset
// (-candidates by -n; -fanout by -n minus one). why says what the bound
// stands for.
func atMost(name, other string, offset int, why string) func(int, map[string]int, string) error {
	return func(v int, params map[string]int, _ string) error {
		limit := params[other] + offset
		if v <= limit {
			return nil
		}
		bound := "-" + other
		if offset != 0 {
			bound = fmt.Sprintf("-%s %+d", other, offset)
		}
		return fmt.Errorf("-%s %d exceeds %s = %d with -%s %d (%s)", name, v, bound, limit, other, params[other], why)
	}
}

// onlyWith restricts a parameter to the runs where the parameter other
// takes one of the values in (by index, for a choice), or where the
// mutant is one of mutants: anywhere else it has no effect, and a value
// other than its default is a contradiction, not a setting. why says
// what the parameter does.
func onlyWith(p Param, other Param, in []int, mutants []string, why string) func(int, map[string]int, string) error {
	return func(v int, params map[string]int, mutant string) error {
		if v == p.Default || slices.Contains(in, params[other.Name]) || slices.Contains(mutants, mutant) {
			return nil
		}
		var want []string
		for _, w := range in {
			want = append(want, other.Format(w))
		}
		for _, m := range mutants {
			want = append(want, "-mutant "+m)
		}
		return fmt.Errorf("-%s %s has no effect with -%s %s: %s; it applies only with -%s %s",
			p.Name, p.Format(v), other.Name, other.Format(params[other.Name]), why, other.Name, orList(want))
	}
}

// orList writes "a", "a or b", "a, b or c".
func orList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// ofNode bounds a per-node parameter (-b2, -w2: what node i does) by the
// node count: a node beyond -n does nothing, so a value other than 0 is a
// contradiction.
func ofNode(name string, i int) func(int, map[string]int, string) error {
	return func(v int, params map[string]int, _ string) error {
		if v == 0 || i < params["n"] {
			return nil
		}
		return fmt.Errorf("-%s %d is for node %d, but -n %d has nodes 0..%d", name, v, i, params["n"], params["n"]-1)
	}
}

// allOf joins the rules of one parameter: the first that fails says why.
func allOf(rules ...func(int, map[string]int, string) error) func(int, map[string]int, string) error {
	return func(v int, params map[string]int, mutant string) error {
		for _, r := range rules {
			if err := r(v, params, mutant); err != nil {
				return err
			}
		}
		return nil
	}
}
