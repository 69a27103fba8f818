<?php
/**
 * Checks a provider's reply before the visitor sees it: every price, stock claim and SKU is
 * compared with the catalog and this turn's tool results. A wrong figure about a known product
 * is corrected; a price or SKU that belongs to nothing the store sells drops its sentence.
 * Each correction is counted (dashboard "grounding corrections").
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

defined( 'ABSPATH' ) || exit;

final class Grounding {

	private const MONEY = '/(?:(?:[$€£]|\b(?:USD|EUR|GBP))\s?(\d{1,7}(?:[.,]\d{1,2})?)|(\d{1,7}(?:[.,]\d{1,2})?)\s?(?:€|\$|£|(?:USD|EUR|GBP|dollars?|euros?)\b))/iu';
	private const SKU   = '/\b(?=[A-Z0-9-]*\d)[A-Z0-9]{2,}(?:-[A-Z0-9]+)+\b/u';

	/** @var array<int, array> id => product rows known this turn */
	private array $known = array();

	public int $fixes = 0;

	/**
	 * @param float[]                $fact_amounts Prices the store facts mention (shipping costs, coupon amounts).
	 * @param callable(string): ?array $lookup     Finds the catalog product a sentence names, or null.
	 */
	public function __construct( private array $fact_amounts, private $lookup, private string $currency ) {}

	public function know( array $product ): void {
		$this->known[ (int) $product['id'] ] = $product;
	}

	/** Amounts the store's own documents state (a knowledge passage) may be quoted too. */
	public function know_text( string $text ): void {
		if ( preg_match_all( self::MONEY, $text, $m, PREG_SET_ORDER ) ) {
			foreach ( $m as $hit ) {
				$this->fact_amounts[] = (float) str_replace( ',', '.', '' !== $hit[1] ? $hit[1] : $hit[2] );
			}
		}
	}

	/** @return array<int, array> */
	public function known(): array {
		return $this->known;
	}

	public function check( string $text ): string {
		$out = array();
		foreach ( preg_split( '/(\n)/u', $text, -1, PREG_SPLIT_DELIM_CAPTURE ) as $line ) {
			if ( "\n" === $line ) {
				$out[] = $line;
				continue;
			}
			$kept = array();
			foreach ( preg_split( '/(?<=[.!?])\s+/u', $line ) as $sentence ) {
				$s = $this->sentence( $sentence );
				if ( null !== $s ) {
					$kept[] = $s;
				}
			}
			$out[] = implode( ' ', $kept );
		}
		return trim( implode( '', $out ) );
	}

	private function sentence( string $s ): ?string {
		$has_price = (bool) preg_match( self::MONEY, $s );
		$has_sku   = (bool) preg_match( self::SKU, $s );
		$has_stock = (bool) preg_match( '/\b(in stock|out of stock|sold out|available|unavailable)\b/iu', $s );
		if ( ! $has_price && ! $has_sku && ! $has_stock ) {
			return $s;
		}
		$product = $this->product_in( $s );
		if ( $has_price ) {
			$allowed = $product ? $this->prices( $product ) : array_merge( $this->fact_amounts, ...array_map( array( $this, 'prices' ), array_values( $this->known ) ) );
			$wrong   = false;
			$s       = (string) preg_replace_callback(
				self::MONEY,
				function ( $m ) use ( $allowed, $product, &$wrong ) {
					$v = (float) str_replace( ',', '.', '' !== $m[1] ? $m[1] : $m[2] );
					foreach ( $allowed as $a ) {
						if ( abs( $a - $v ) < 0.005 ) {
							return $m[0];
						}
					}
					if ( $product && '' !== (string) $product['price'] ) {
						++$this->fixes;
						return Answerer::money( $product['price'], $this->currency );
					}
					$wrong = true;
					return $m[0];
				},
				$s
			);
			if ( $wrong ) {
				++$this->fixes;
				return null;
			}
		}
		if ( $has_sku ) {
			$skus = array();
			foreach ( $product ? array( $product ) : $this->known as $p ) {
				$skus[] = (string) $p['sku'];
				foreach ( (array) ( $p['variations'] ?? array() ) as $v ) {
					$skus[] = (string) $v['sku'];
				}
			}
			preg_match_all( self::SKU, $s, $mm );
			foreach ( $mm[0] as $sku ) {
				if ( ! in_array( $sku, $skus, true ) ) {
					++$this->fixes;
					if ( ! $product || '' === (string) $product['sku'] ) {
						return null;
					}
					$s = str_replace( $sku, (string) $product['sku'], $s );
				}
			}
		}
		if ( $has_stock && $product ) {
			$in = 'outofstock' !== $product['stock_status'];
			if ( $in && preg_match( '/\b(out of stock|sold out|unavailable)\b/iu', $s ) ) {
				++$this->fixes;
				$s = (string) preg_replace( '/\b(out of stock|sold out|unavailable)\b/iu', __( 'in stock', 'aisle' ), $s );
			} elseif ( ! $in && preg_match( '/\b(in stock|available)\b/iu', $s ) && ! preg_match( '/\b(not|no longer|un)\s*(in stock|available)/iu', $s ) ) {
				++$this->fixes;
				$s = (string) preg_replace( '/\b(in stock|available)\b/iu', __( 'out of stock', 'aisle' ), $s );
			}
		}
		return $s;
	}

	/** The known product whose name the sentence mentions (longest name wins), else the catalog's. */
	private function product_in( string $s ): ?array {
		$best = null;
		$low  = mb_strtolower( $s );
		foreach ( $this->known as $p ) {
			$name = mb_strtolower( (string) $p['name'] );
			if ( '' !== $name && str_contains( $low, $name ) && ( ! $best || mb_strlen( $name ) > mb_strlen( $best['name'] ) ) ) {
				$best = $p;
			}
		}
		if ( ! $best ) {
			$found = ( $this->lookup )( $s );
			if ( $found && str_contains( $low, mb_strtolower( (string) $found['name'] ) ) ) {
				$this->know( $found );
				$best = $found;
			}
		}
		return $best;
	}

	/** @return float[] Every price a product may truly be quoted at. */
	private function prices( array $p ): array {
		$out = array();
		foreach ( array_merge( array( $p ), (array) ( $p['variations'] ?? array() ) ) as $x ) {
			foreach ( array( 'price', 'regular_price', 'sale_price' ) as $k ) {
				if ( isset( $x[ $k ] ) && is_numeric( $x[ $k ] ) ) {
					$out[] = (float) $x[ $k ];
				}
			}
		}
		return $out;
	}
}
