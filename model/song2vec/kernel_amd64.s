//go:build amd64 && !purego

#include "textflag.h"

// func dotAVX2(a, b []float64) float64
// Sums len(a) products; b must hold at least len(a) elements.
TEXT ·dotAVX2(SB), NOSPLIT, $0-56
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-16, DX
	JZ   dot4

dot16:
	VMOVUPD     (SI)(AX*8), Y4
	VMOVUPD     32(SI)(AX*8), Y5
	VMOVUPD     64(SI)(AX*8), Y6
	VMOVUPD     96(SI)(AX*8), Y7
	VFMADD231PD (DI)(AX*8), Y4, Y0
	VFMADD231PD 32(DI)(AX*8), Y5, Y1
	VFMADD231PD 64(DI)(AX*8), Y6, Y2
	VFMADD231PD 96(DI)(AX*8), Y7, Y3
	ADDQ        $16, AX
	CMPQ        AX, DX
	JLT         dot16

dot4:
	MOVQ CX, DX
	ANDQ $-4, DX
	CMPQ AX, DX
	JGE  dotreduce

dot4loop:
	VMOVUPD     (SI)(AX*8), Y4
	VFMADD231PD (DI)(AX*8), Y4, Y0
	ADDQ        $4, AX
	CMPQ        AX, DX
	JLT         dot4loop

dotreduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	CMPQ         AX, CX
	JGE          dotdone

dot1:
	VMOVSD      (SI)(AX*8), X1
	VFMADD231SD (DI)(AX*8), X1, X0
	INCQ        AX
	CMPQ        AX, CX
	JLT         dot1

dotdone:
	VZEROUPPER
	MOVSD X0, ret+48(FP)
	RET

// func updateAVX2(neu, out, in []float64, scale float64)
// For i < len(neu): neu[i] += scale*out[i]; out[i] += scale*in[i] (old out[i] in the
// first). out and in must hold at least len(neu) elements.
TEXT ·updateAVX2(SB), NOSPLIT, $0-80
	MOVQ         neu_base+0(FP), DI
	MOVQ         neu_len+8(FP), CX
	MOVQ         out_base+24(FP), SI
	MOVQ         in_base+48(FP), DX
	VBROADCASTSD scale+72(FP), Y15
	XORQ         AX, AX
	MOVQ         CX, BX
	ANDQ         $-8, BX
	JZ           upd4

upd8:
	VMOVUPD     (SI)(AX*8), Y0
	VMOVUPD     32(SI)(AX*8), Y1
	VMOVUPD     (DI)(AX*8), Y2
	VMOVUPD     32(DI)(AX*8), Y3
	VFMADD231PD Y0, Y15, Y2
	VFMADD231PD Y1, Y15, Y3
	VMOVUPD     Y2, (DI)(AX*8)
	VMOVUPD     Y3, 32(DI)(AX*8)
	VFMADD231PD (DX)(AX*8), Y15, Y0
	VFMADD231PD 32(DX)(AX*8), Y15, Y1
	VMOVUPD     Y0, (SI)(AX*8)
	VMOVUPD     Y1, 32(SI)(AX*8)
	ADDQ        $8, AX
	CMPQ        AX, BX
	JLT         upd8

upd4:
	MOVQ CX, BX
	ANDQ $-4, BX
	CMPQ AX, BX
	JGE  upd1check

	VMOVUPD     (SI)(AX*8), Y0
	VMOVUPD     (DI)(AX*8), Y2
	VFMADD231PD Y0, Y15, Y2
	VMOVUPD     Y2, (DI)(AX*8)
	VFMADD231PD (DX)(AX*8), Y15, Y0
	VMOVUPD     Y0, (SI)(AX*8)
	ADDQ        $4, AX

upd1check:
	CMPQ AX, CX
	JGE  upddone

upd1:
	VMOVSD      (SI)(AX*8), X0
	VMOVSD      (DI)(AX*8), X2
	VFMADD231SD X0, X15, X2
	VMOVSD      X2, (DI)(AX*8)
	VFMADD231SD (DX)(AX*8), X15, X0
	VMOVSD      X0, (SI)(AX*8)
	INCQ        AX
	CMPQ        AX, CX
	JLT         upd1

upddone:
	VZEROUPPER
	RET

// func axpyAVX2(dst []float64, a float64, x []float64)
// For i < len(dst): dst[i] += a*x[i]. x must hold at least len(dst) elements.
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	VBROADCASTSD a+24(FP), Y15
	MOVQ         x_base+32(FP), SI
	XORQ         AX, AX
	MOVQ         CX, BX
	ANDQ         $-8, BX
	JZ           axpy4

axpy8:
	VMOVUPD     (DI)(AX*8), Y0
	VMOVUPD     32(DI)(AX*8), Y1
	VFMADD231PD (SI)(AX*8), Y15, Y0
	VFMADD231PD 32(SI)(AX*8), Y15, Y1
	VMOVUPD     Y0, (DI)(AX*8)
	VMOVUPD     Y1, 32(DI)(AX*8)
	ADDQ        $8, AX
	CMPQ        AX, BX
	JLT         axpy8

axpy4:
	MOVQ CX, BX
	ANDQ $-4, BX
	CMPQ AX, BX
	JGE  axpy1check

	VMOVUPD     (DI)(AX*8), Y0
	VFMADD231PD (SI)(AX*8), Y15, Y0
	VMOVUPD     Y0, (DI)(AX*8)
	ADDQ        $4, AX

axpy1check:
	CMPQ AX, CX
	JGE  axpydone

axpy1:
	VMOVSD      (DI)(AX*8), X0
	VFMADD231SD (SI)(AX*8), X15, X0
	VMOVSD      X0, (DI)(AX*8)
	INCQ        AX
	CMPQ        AX, CX
	JLT         axpy1

axpydone:
	VZEROUPPER
	RET

// func dotsInt8AVX2(dst []int32, codes []int8, q []int16)
// For each row r < len(dst): dst[r] = sum over j < len(q) of
// q[j]*codes[r*len(q)+j]. len(q) must be a positive multiple of 16.
// Rows go four at a time (sharing the query's loads and one horizontal
// reduction), then one at a time.
TEXT ·dotsInt8AVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ codes_base+24(FP), SI
	MOVQ q_base+48(FP), DX
	MOVQ q_len+56(FP), BX
	LEAQ (SI)(BX*1), R8  // row 1
	LEAQ (R8)(BX*1), R9  // row 2
	LEAQ (R9)(BX*1), R10 // row 3
	LEAQ (BX)(BX*2), R11
	ADDQ BX, R11         // 4 rows of bytes

i8quad:
	CMPQ  CX, $4
	JLT   i8row
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	XORQ  AX, AX

i8quadcol:
	VMOVDQU   (DX)(AX*2), Y8
	VPMOVSXBW (SI)(AX*1), Y4
	VPMOVSXBW (R8)(AX*1), Y5
	VPMOVSXBW (R9)(AX*1), Y6
	VPMOVSXBW (R10)(AX*1), Y7
	VPMADDWD  Y8, Y4, Y4
	VPMADDWD  Y8, Y5, Y5
	VPMADDWD  Y8, Y6, Y6
	VPMADDWD  Y8, Y7, Y7
	VPADDD    Y4, Y0, Y0
	VPADDD    Y5, Y1, Y1
	VPADDD    Y6, Y2, Y2
	VPADDD    Y7, Y3, Y3
	ADDQ      $16, AX
	CMPQ      AX, BX
	JLT       i8quadcol

	// Lane i of the result is the sum of accumulator i.
	VPHADDD      Y1, Y0, Y0
	VPHADDD      Y3, Y2, Y2
	VPHADDD      Y2, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VMOVDQU      X0, (DI)
	ADDQ         $16, DI
	ADDQ         R11, SI
	ADDQ         R11, R8
	ADDQ         R11, R9
	ADDQ         R11, R10
	SUBQ         $4, CX
	JMP          i8quad

i8row:
	TESTQ CX, CX
	JZ    i8done
	VPXOR Y0, Y0, Y0
	XORQ  AX, AX

i8col:
	VPMOVSXBW (SI)(AX*1), Y1
	VPMADDWD  (DX)(AX*2), Y1, Y1
	VPADDD    Y1, Y0, Y0
	ADDQ      $16, AX
	CMPQ      AX, BX
	JLT       i8col

	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0x4E, X0, X1
	VPADDD       X1, X0, X0
	VPSHUFD      $0xB1, X0, X1
	VPADDD       X1, X0, X0
	VMOVD        X0, (DI)
	ADDQ         $4, DI
	ADDQ         BX, SI
	DECQ         CX
	JMP          i8row

i8done:
	VZEROUPPER
	RET

// func prefetchAVX2(row []float64)
// Asks for the cache lines of row (PREFETCHT0), so that a coming random
// access does not wait for memory.
TEXT ·prefetchAVX2(SB), NOSPLIT, $0-24
	MOVQ row_base+0(FP), SI
	MOVQ row_len+8(FP), CX
	TESTQ CX, CX
	JZ   pfdone
	LEAQ (SI)(CX*8), CX

pfloop:
	PREFETCHT0 (SI)
	ADDQ       $64, SI
	CMPQ       SI, CX
	JLT        pfloop
	PREFETCHT0 -8(CX)

pfdone:
	RET
