<?php
/**
 * The Overview tab: the dashboard of daily counts (Stats), drawn as inline SVG.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;


defined( 'ABSPATH' ) || exit;

final class Dashboard {

	public function register(): void {
		add_filter( 'aisle_admin_tabs', fn ( array $tabs ) => array( 'overview' => array( __( 'Overview', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) ) + $tabs, 5 );
	}

	public function render(): void {
		$days   = Stats::days( 14 );
		$labels = array(
			'sessions'  => __( 'Sessions', 'aisle' ),
			'messages'  => __( 'Messages', 'aisle' ),
			'leads'     => __( 'Leads', 'aisle' ),
			'tokens'    => __( 'AI tokens', 'aisle' ),
			'grounding' => __( 'Grounding corrections', 'aisle' ),
			'orders'    => __( 'Chat-assisted orders', 'aisle' ),
		);
		echo '<div class="aisle-screen"><h2>' . esc_html__( 'Dashboard', 'aisle' ) . '</h2>';
		echo '<p>' . esc_html__( 'Last 14 days. Counts only: no personal data is kept for these figures.', 'aisle' ) . '</p>';
		echo '<table class="widefat striped" id="aisle-stats"><thead><tr><th>' . esc_html__( 'Day', 'aisle' ) . '</th>';
		foreach ( $labels as $l ) {
			echo '<th>' . esc_html( $l ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( array_reverse( $days, true ) as $day => $row ) {
			echo '<tr><td>' . esc_html( $day ) . '</td>';
			foreach ( array_keys( $labels ) as $k ) {
				echo '<td>' . esc_html( number_format_i18n( $row[ $k ] ) ) . '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
		// Messages per day as bars: inline SVG, no chart library.
		$max = max( 1, max( array_column( $days, 'messages' ) ) );
		$w   = 28;
		echo '<h2>' . esc_html__( 'Messages per day', 'aisle' ) . '</h2><svg id="aisle-chart" role="img" aria-label="' . esc_attr__( 'Messages per day', 'aisle' ) . '" width="' . esc_attr( (string) ( count( $days ) * $w ) ) . '" height="120" viewBox="0 0 ' . esc_attr( (string) ( count( $days ) * $w ) ) . ' 120">';
		$i = 0;
		foreach ( $days as $day => $row ) {
			$h = (int) round( 100 * $row['messages'] / $max );
			printf( '<rect x="%d" y="%d" width="%d" height="%d" fill="#2271b1"><title>%s</title></rect>', (int) ( $i * $w + 4 ), (int) ( 105 - $h ), (int) ( $w - 8 ), (int) $h, esc_html( $day . ': ' . $row['messages'] ) );
			++$i;
		}
		echo '</svg></div>';
	}
}
