<?php
/**
 * The Overview tab: totals and daily charts for a period of 7, 30 or 90 days (conversations,
 * resolved without a human, leads, chat-assisted orders and their revenue) from the daily
 * counters (Stats), drawn as inline SVG with axes and labels, the figures also as a table; orders
 * that AI shopping agents sent (WooCommerce's order attribution); and the questions the assistant
 * could not answer most often, each one click from a new FAQ entry.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Events;

defined( 'ABSPATH' ) || exit;

final class Dashboard {

	public const PERIODS = array( 7, 30, 90 );
	/** At most this many agent orders are read for one period: the table stays quick on big stores. */
	public const AGENT_ORDERS_MAX = 5000;

	public function __construct( private Events $events ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', fn ( array $tabs ) => array( 'overview' => array( __( 'Overview', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) ) + $tabs, 5 );
	}

	/** The period asked for, else 30 days. */
	public static function period(): int {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- choosing a period.
		$days = isset( $_GET['days'] ) ? absint( $_GET['days'] ) : 30;
		return in_array( $days, self::PERIODS, true ) ? $days : 30;
	}

	/**
	 * A round number at or above $max for the top of an axis (2, 4, 5, 6, 8, 10 × 10^n), so that the middle
	 * tick is a whole count too; at least $min (a revenue axis starts at one currency unit).
	 */
	private static function axis_top( float $max, float $min = 2 ): float {
		$max = max( $max, $min );
		$pow = 10 ** floor( log10( $max ) );
		foreach ( array( 1, 2, 4, 5, 6, 8, 10 ) as $step ) {
			if ( $step * $pow >= $max && ( $step * $pow ) / 2 === floor( ( $step * $pow ) / 2 ) ) {
				return $step * $pow;
			}
		}
		return 10 * $pow;
	}

	/**
	 * A bar chart: one bar a day, a y axis with three labelled ticks and dates under the x axis.
	 *
	 * @param array<string, float> $values day (Y-m-d) => value.
	 * @param callable(float): string $format How a value is written (counts, money).
	 */
	private static function chart( string $id, string $title, array $values, callable $format, float $min = 2 ): void {
		$w      = 640;
		$h      = 200;
		$left   = 56;
		$bottom = 28;
		$top    = 10;
		$plot_w = $w - $left - 8;
		$plot_h = $h - $bottom - $top;
		$n      = max( 1, count( $values ) );
		$ymax   = self::axis_top( (float) max( array_merge( array( 0 ), array_values( $values ) ) ), $min );
		$step   = $plot_w / $n;
		$every  = $n <= 7 ? 1 : ( $n <= 30 ? 5 : 15 );
		$total  = array_sum( $values );
		/* translators: 1: chart title, 2: total over the period, 3: number of days. */
		$desc = sprintf( __( '%1$s: %2$s in all over %3$d days.', 'aisle' ), $title, $format( (float) $total ), $n );
		echo '<figure class="aisle-chart"><figcaption id="' . esc_attr( $id ) . '-title">' . esc_html( $title ) . ' <span class="aisle-chart-total">' . esc_html( $format( (float) $total ) ) . '</span></figcaption>';
		echo '<svg id="' . esc_attr( $id ) . '" role="img" aria-labelledby="' . esc_attr( $id ) . '-title ' . esc_attr( $id ) . '-desc" viewBox="0 0 ' . (int) $w . ' ' . (int) $h . '" width="100%" preserveAspectRatio="xMinYMin meet"><desc id="' . esc_attr( $id ) . '-desc">' . esc_html( $desc ) . '</desc>';
		// Y axis: 0, half and top, with grid lines.
		foreach ( array( 0, 0.5, 1 ) as $f ) {
			$y = $top + $plot_h * ( 1 - $f );
			printf( '<line class="aisle-grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>', (int) $left, (float) $y, (int) ( $w - 8 ), (float) $y );
			printf( '<text class="aisle-axis-label" x="%d" y="%.1f" text-anchor="end">%s</text>', (int) ( $left - 6 ), (float) ( $y + 4 ), esc_html( $format( $ymax * $f ) ) );
		}
		printf( '<line class="aisle-axis" x1="%d" y1="%d" x2="%d" y2="%d"/>', (int) $left, (int) $top, (int) $left, (int) ( $top + $plot_h ) );
		$i = 0;
		foreach ( $values as $day => $v ) {
			$bh = (int) round( $plot_h * (float) $v / $ymax );
			$x  = $left + $i * $step;
			printf( '<rect x="%.1f" y="%d" width="%.1f" height="%d"><title>%s</title></rect>', (float) ( $x + $step * 0.15 ), (int) ( $top + $plot_h - $bh ), (float) max( 1, $step * 0.7 ), (int) $bh, esc_html( wp_date( 'M j', strtotime( $day . ' 12:00:00 UTC' ) ) . ': ' . $format( (float) $v ) ) );
			if ( 0 === ( $n - 1 - $i ) % $every ) {
				printf( '<text class="aisle-axis-label" x="%.1f" y="%d" text-anchor="middle">%s</text>', (float) ( $x + $step / 2 ), (int) ( $h - 8 ), esc_html( wp_date( 'M j', strtotime( $day . ' 12:00:00 UTC' ) ) ) );
			}
			++$i;
		}
		echo '</svg></figure>';
	}

	public function render(): void {
		$period = self::period();
		$days   = Stats::days( $period );
		$count  = static fn ( float $v ): string => number_format_i18n( $v );
		$money  = static fn ( float $v ): string => function_exists( 'wc_price' ) ? html_entity_decode( wp_strip_all_tags( wc_price( $v / 100 ) ), ENT_QUOTES, 'UTF-8' ) : number_format_i18n( $v / 100, 2 );
		$series = array(
			'sessions' => array( __( 'Conversations', 'aisle' ), $count ),
			'resolved' => array( __( 'Resolved without a human', 'aisle' ), $count ),
			'leads'    => array( __( 'Leads', 'aisle' ), $count ),
			'orders'   => array( __( 'Chat-assisted orders', 'aisle' ), $count ),
			'revenue'  => array( __( 'Chat-assisted revenue', 'aisle' ), $money ),
		);
		$values = array();
		foreach ( $days as $day => $row ) {
			// Escalated: chats that left a lead or met a question the assistant could not answer.
			$row['resolved'] = max( 0, $row['sessions'] - $row['escalated'] );
			foreach ( array_keys( $series ) as $k ) {
				$values[ $k ][ $day ] = (float) $row[ $k ];
			}
		}

		echo '<div class="aisle-screen aisle-dashboard"><h2>' . esc_html__( 'Overview', 'aisle' ) . '</h2>';
		echo '<nav class="aisle-period" aria-label="' . esc_attr__( 'Period', 'aisle' ) . '"><ul>';
		foreach ( self::PERIODS as $p ) {
			/* translators: %d: number of days. */
			$label = sprintf( __( 'Last %d days', 'aisle' ), $p );
			echo '<li><a class="button' . ( $p === $period ? ' button-primary' : '' ) . '" id="aisle-period-' . (int) $p . '" href="' . esc_url( AdminMenu::url( 'overview', array( 'days' => $p ) ) ) . '"' . ( $p === $period ? ' aria-current="page"' : '' ) . '>' . esc_html( $label ) . '</a></li>';
		}
		echo '</ul></nav>';
		echo '<p class="description">' . esc_html__( 'Counts only: no personal data is kept for these figures. Chat-assisted: the shopper followed a link from the chat before ordering.', 'aisle' ) . '</p>';

		echo '<ul class="aisle-totals" id="aisle-totals">';
		foreach ( $series as $k => [ $label, $format ] ) {
			echo '<li data-key="' . esc_attr( $k ) . '"><span class="aisle-total-label">' . esc_html( $label ) . '</span> <strong class="aisle-total-value">' . esc_html( $format( (float) array_sum( $values[ $k ] ) ) ) . '</strong></li>';
		}
		echo '</ul><div class="aisle-charts">';
		foreach ( $series as $k => [ $label, $format ] ) {
			self::chart( 'sessions' === $k ? 'aisle-chart' : 'aisle-chart-' . $k, $label, $values[ $k ], $format, 'revenue' === $k ? 100 : 2 );
		}
		echo '</div>';

		self::channels( $period );
		self::agents( $period );
		$this->unanswered( $period );
		LiveChats::overview( time() - $period * DAY_IN_SECONDS );

		// The same figures as a table: for screen readers, and for copying.
		$labels = array(
			'sessions'   => __( 'Sessions', 'aisle' ),
			'messages'   => __( 'Messages', 'aisle' ),
			'leads'      => __( 'Leads', 'aisle' ),
			'tokens'     => __( 'AI tokens', 'aisle' ),
			'grounding'  => __( 'Grounding corrections', 'aisle' ),
			'orders'     => __( 'Chat-assisted orders', 'aisle' ),
			'unanswered' => __( 'Not answered', 'aisle' ),
		);
		echo '<details class="aisle-daily"><summary>' . esc_html__( 'Daily figures', 'aisle' ) . '</summary>';
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
		echo '</tbody></table></details></div>';
	}

	/** Conversations and leads per channel over the period: the widget, WhatsApp, Messenger, Instagram. */
	private static function channels( int $period ): void {
		$names = array(
			'web'       => __( 'Chat on the site', 'aisle' ),
			'whatsapp'  => 'WhatsApp',
			'messenger' => 'Messenger',
			'instagram' => 'Instagram',
		);
		echo '<h3 id="aisle-by-channel-title">' . esc_html__( 'By channel', 'aisle' ) . '</h3>';
		echo '<table class="widefat striped aisle-by-channel" id="aisle-by-channel" aria-labelledby="aisle-by-channel-title"><thead><tr><th scope="col">' . esc_html__( 'Channel', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Conversations', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Leads', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( Stats::by_channel( $period ) as $channel => $row ) {
			echo '<tr data-channel="' . esc_attr( $channel ) . '"><th scope="row">' . esc_html( $names[ $channel ] ) . '</th><td class="aisle-sessions">' . esc_html( number_format_i18n( $row['sessions'] ) ) . '</td><td class="aisle-leads">' . esc_html( number_format_i18n( $row['leads'] ) ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * Orders per AI agent over the period: WooCommerce's own order attribution records the agent
	 * link's utm_medium=ai_agent and utm_source=<agent> (the links llms.txt and the feeds carry).
	 * Read through the CRUD API with meta_key/meta_value, which both order storages support.
	 *
	 * @return array<string, array{orders: int, revenue: float}> source => figures, most orders first.
	 */
	public static function by_agent( int $period ): array {
		if ( ! function_exists( 'wc_get_orders' ) ) {
			return array();
		}
		$statuses = array_diff( array_keys( wc_get_order_statuses() ), array( 'wc-failed', 'wc-cancelled', 'wc-checkout-draft' ) );
		$orders   = wc_get_orders(
			array(
				'type'         => 'shop_order',
				'status'       => $statuses,
				'date_created' => '>' . ( time() - $period * DAY_IN_SECONDS ),
				'meta_key'     => '_wc_order_attribution_utm_medium', // phpcs:ignore WordPress.DB.SlowDBQuery
				'meta_value'   => 'ai_agent', // phpcs:ignore WordPress.DB.SlowDBQuery
				'limit'        => self::AGENT_ORDERS_MAX,
			)
		);
		$out = array();
		foreach ( is_array( $orders ) ? $orders : array() as $order ) {
			$source = strtolower( sanitize_text_field( (string) $order->get_meta( '_wc_order_attribution_utm_source' ) ) );
			$source = '' !== $source ? $source : '(unknown)';
			$out[ $source ] ??= array( 'orders' => 0, 'revenue' => 0.0 );
			++$out[ $source ]['orders'];
			$out[ $source ]['revenue'] += (float) $order->get_total();
		}
		uasort( $out, static fn ( $a, $b ) => $b['orders'] <=> $a['orders'] ?: $b['revenue'] <=> $a['revenue'] );
		return $out;
	}

	private static function agents( int $period ): void {
		$rows = self::by_agent( $period );
		echo '<h3 id="aisle-by-agent-title">' . esc_html__( 'Orders from AI agents', 'aisle' ) . '</h3>';
		echo '<p class="description">' . esc_html__( 'Orders whose visit came from an AI shopping agent\'s link (WooCommerce order attribution, medium ai_agent), by agent. Failed and cancelled orders are left out.', 'aisle' ) . '</p>';
		if ( ! $rows ) {
			echo '<p id="aisle-by-agent-empty">' . esc_html__( 'None in this period.', 'aisle' ) . '</p>';
			return;
		}
		echo '<table class="widefat striped aisle-by-agent" id="aisle-by-agent" aria-labelledby="aisle-by-agent-title"><thead><tr><th scope="col">' . esc_html__( 'Agent', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Orders', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Revenue', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $rows as $source => $row ) {
			$revenue = function_exists( 'wc_price' ) ? html_entity_decode( wp_strip_all_tags( wc_price( $row['revenue'] ) ), ENT_QUOTES, 'UTF-8' ) : number_format_i18n( $row['revenue'], 2 );
			echo '<tr data-agent="' . esc_attr( $source ) . '"><th scope="row">' . esc_html( $source ) . '</th><td class="aisle-orders">' . esc_html( number_format_i18n( $row['orders'] ) ) . '</td><td class="aisle-revenue">' . esc_html( $revenue ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/** The top questions the assistant could not answer; "Add to FAQ" opens a new FAQ entry with the question filled in. */
	private function unanswered( int $period ): void {
		$top = $this->events->top_unanswered( $period );
		echo '<h3 id="aisle-unanswered-title">' . esc_html__( 'Questions the assistant could not answer', 'aisle' ) . '</h3>';
		echo '<p class="description">' . esc_html__( 'As the visitors wrote them (contact details removed), from the conversations still kept. Add an answer to the FAQ and the assistant will use it.', 'aisle' ) . '</p>';
		if ( ! $top ) {
			echo '<p id="aisle-unanswered-empty">' . esc_html__( 'None in this period.', 'aisle' ) . '</p>';
			return;
		}
		echo '<table class="widefat striped" id="aisle-unanswered" aria-labelledby="aisle-unanswered-title"><thead><tr><th scope="col">' . esc_html__( 'Question', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Times asked', 'aisle' ) . '</th><th scope="col">' . esc_html__( 'Last asked', 'aisle' ) . '</th><th scope="col"><span class="screen-reader-text">' . esc_html__( 'Action', 'aisle' ) . '</span></th></tr></thead><tbody>';
		foreach ( $top as $q ) {
			$add = AdminMenu::url( 'settings', array( 'section' => 'assistant', 'faq_question' => rawurlencode( $q['question'] ) ) );
			echo '<tr><td dir="auto">' . esc_html( $q['question'] ) . '</td><td>' . esc_html( number_format_i18n( $q['count'] ) ) . '</td><td>' . esc_html( wp_date( 'Y-m-d H:i', $q['last'] ) ) . '</td>';
			/* translators: %s: the question. */
			echo '<td><a class="button aisle-add-faq" href="' . esc_url( $add ) . '" aria-label="' . esc_attr( sprintf( __( 'Add to FAQ: %s', 'aisle' ), $q['question'] ) ) . '">' . esc_html__( 'Add to FAQ', 'aisle' ) . '</a></td></tr>';
		}
		echo '</tbody></table>';
	}
}
