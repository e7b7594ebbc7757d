import { Field, Int, ObjectType } from 'type-graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Event } from './event.entity';
import { Countable, Node } from './node.interface';

@ObjectType({
  simpleResolvers: true,
  implements: [Node, Countable],
  description: 'A talk given at an event.',
})
@Entity({ name: 'talks' })
export class Talk {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  eventId!: number;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Event;

  @Field(() => String)
  @Column({ type: 'varchar', length: 80, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  abstract!: string | null;

  @Field(() => Int, { description: 'Place in the event agenda, from 1.' })
  @Column({ type: 'integer' })
  position!: number;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  startsAt!: Date | null;

  /** startsAt, or the event's start when the talk has none: what STARTS_AT sorts by. */
  @Column({ type: Date, select: false })
  sortStartsAt!: Date;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  durationMinutes!: number | null;

  @Column({ name: 'view_count', type: 'integer', default: 0, select: false })
  storedViewCount!: number;

  @Column({ name: 'like_count', type: 'integer', default: 0, select: false })
  storedLikeCount!: number;

  /** Sequence number of the last view batch applied to view_count (see the counters migration). */
  @Column({ type: 'bigint', default: 0, select: false })
  viewFlushSeq!: number;

  @CreateDateColumn({ select: false })
  createdAt!: Date;

  @UpdateDateColumn({ select: false })
  updatedAt!: Date;
}
