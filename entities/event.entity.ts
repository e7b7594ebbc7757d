import { Field, Int, ObjectType } from 'type-graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Countable, Node } from './node.interface';

@ObjectType({
  simpleResolvers: true,
  implements: [Node, Countable],
  description: 'One edition of a series, e.g. 掘力计划 第21期.',
})
@Entity({ name: 'events' })
@Index(['startsAt', 'id'])
export class Event {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field(() => String)
  @Column({ type: 'varchar', length: 80, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Field(() => String, { nullable: true, description: 'The series name, e.g. 掘力计划.' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  series!: string | null;

  @Field(() => Int, { nullable: true, description: 'The number within the series, e.g. 21.' })
  @Column({ type: 'integer', nullable: true })
  edition!: number | null;

  @Field(() => Date)
  @Column({ type: Date })
  startsAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  endsAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  city!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  venue!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  organizer!: string | null;

  /** Flushed totals; live values come from the counter store. */
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
