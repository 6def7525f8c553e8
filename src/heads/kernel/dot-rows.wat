;; out[y] = scale · scales[y] · Σ_i query[i] · rows[y · dim + i] for y < count: every label's score in one pass, the loop
;; that grows with a task's labels. It is bound by memory (at 5,000 labels × 256 dimensions the rows are most of
;; what a classify reads), hence rows of int16, each row scaled to its largest magnitude (`row-matrix.ts`): half the
;; bytes of float32, and an int16 widens to float32 exactly. The query (scaled to a largest magnitude of 1, `scale`
;; its own) and the sums are float32, eight lanes a step in two float32x4 sums (WebAssembly SIMD); the scales and
;; the result are float64. The memory is the caller's; `dim` is a multiple of 8 (the caller pads rows and query with
;; zeros); pointers are byte offsets, rows and query 16-byte aligned. Compiled to dot-rows.wasm by `npm run kernels`.
(module
  (memory (import "env" "memory") 1)
  (func (export "dotRows")
    (param $rows i32) (param $count i32) (param $dim i32) (param $scales i32) (param $query i32) (param $scale f64)
    (param $out i32)
    (local $row i32) (local $rowEnd i32) (local $q i32) (local $outEnd i32)
    (local $eight v128) (local $low v128) (local $high v128)
    (local.set $outEnd (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $row (local.get $rows))
    (block $done
      (loop $label
        (br_if $done (i32.ge_u (local.get $out) (local.get $outEnd)))
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $dim) (i32.const 1))))
        (local.set $q (local.get $query))
        (local.set $low (v128.const f32x4 0 0 0 0))
        (local.set $high (v128.const f32x4 0 0 0 0))
        (block $rowDone
          (loop $lanes
            (br_if $rowDone (i32.ge_u (local.get $row) (local.get $rowEnd)))
            (local.set $eight (v128.load (local.get $row)))
            (local.set $low
              (f32x4.add (local.get $low)
                (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $eight)))
                  (v128.load (local.get $q)))))
            (local.set $high
              (f32x4.add (local.get $high)
                (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $eight)))
                  (v128.load offset=16 (local.get $q)))))
            (local.set $row (i32.add (local.get $row) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $lanes)))
        (local.set $low (f32x4.add (local.get $low) (local.get $high)))
        (f64.store (local.get $out)
          (f64.mul
            (f64.mul (local.get $scale) (f64.load (local.get $scales)))
            (f64.promote_f32
              (f32.add
                (f32.add (f32x4.extract_lane 0 (local.get $low)) (f32x4.extract_lane 1 (local.get $low)))
                (f32.add (f32x4.extract_lane 2 (local.get $low)) (f32x4.extract_lane 3 (local.get $low)))))))
        (local.set $scales (i32.add (local.get $scales) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $label)))))
