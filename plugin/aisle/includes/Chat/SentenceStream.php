<?php
/**
 * Streams a provider's reply sentence by sentence, each one grounded before it is sent: the
 * visitor sees text as it arrives, but never an unchecked price, stock claim or SKU.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

defined( 'ABSPATH' ) || exit;

final class SentenceStream {

	private string $buf = '';

	private bool $refused = false;

	public function __construct( private Grounding $grounding, private $emit, private string $prompt ) {}

	private function send( string $text ): void {
		if ( $this->refused ) {
			return;
		}
		$guarded = Assistant::guard( $text, $this->prompt );
		if ( $guarded !== $text ) {
			$this->refused = true;
		}
		( $this->emit )( $guarded );
	}

	public function push( string $delta ): void {
		$this->buf .= $delta;
		while ( preg_match( '/^(.*?[.!?\n])(\s+)(.*)$/su', $this->buf, $m ) ) {
			$this->buf = $m[3];
			$fixes     = $this->grounding->fixes;
			$checked   = $this->grounding->check( $m[1] );
			// Fixes are counted by the final check of the whole reply, not here.
			$this->grounding->fixes = $fixes;
			if ( '' !== $checked ) {
				$this->send( $checked . $m[2] );
			}
		}
	}

	public function finish(): void {
		$fixes = $this->grounding->fixes;
		if ( '' !== trim( $this->buf ) ) {
			$this->send( $this->grounding->check( $this->buf ) );
		}
		$this->grounding->fixes = $fixes;
		$this->buf              = '';
	}

	/** Drops what is buffered (the reply is being replaced by a fallback). */
	public function reset(): void {
		$this->buf = '';
	}
}
