package ballot

import (
	"crypto/rand"
	"errors"
)

// GF(2⁸) with the reduction polynomial x⁸+x⁴+x³+x²+1 (0x11d) and generator 2, as libgfshare.
var gfExp, gfLog = gfTables()

func gfTables() (exp [510]byte, log [256]byte) {
	x := 1
	for i := 0; i < 255; i++ {
		exp[i] = byte(x)
		log[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	for i := 255; i < len(exp); i++ {
		exp[i] = exp[i-255]
	}
	return exp, log
}

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

func gfDiv(a, b byte) byte {
	if a == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+255-int(gfLog[b])]
}

// split returns n shares of secret with threshold t: share i (index i+1, the x at which the
// polynomials are evaluated) holds, for every byte of secret, the value at x of a random
// polynomial of degree t−1 whose constant term is that byte.
func split(secret []byte, n, t int) ([][]byte, error) {
	if t < 2 || t > n || n > 255 {
		return nil, errors.New("shamir: need 2 ≤ t ≤ n ≤ 255")
	}
	coef := make([]byte, (t-1)*len(secret))
	if _, err := rand.Read(coef); err != nil {
		return nil, err
	}
	defer clear(coef)
	out := make([][]byte, n)
	for i := range out {
		x := byte(i + 1)
		y := make([]byte, len(secret))
		for j, s := range secret {
			// Horner: ((c_{t-1} x + c_{t-2}) x + … + c_1) x + s.
			var acc byte
			for k := t - 2; k >= 0; k-- {
				acc = gfMul(acc, x) ^ coef[k*len(secret)+j]
			}
			y[j] = gfMul(acc, x) ^ s
		}
		out[i] = y
	}
	return out, nil
}

// combine interpolates at 0 the points (xs[i], ys[i]), byte by byte: the secret when the
// points are t or more shares of it. xs must be distinct and non-zero, ys of equal length.
func combine(xs []byte, ys [][]byte) []byte {
	secret := make([]byte, len(ys[0]))
	for i, xi := range xs {
		// Lagrange basis at 0: Π_{j≠i} x_j / (x_j − x_i); subtraction is xor.
		l := byte(1)
		for j, xj := range xs {
			if j != i {
				l = gfMul(l, gfDiv(xj, xj^xi))
			}
		}
		for k, y := range ys[i] {
			secret[k] ^= gfMul(l, y)
		}
	}
	return secret
}
